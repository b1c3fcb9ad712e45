"""The reference models of vitmae, written independently in PyTorch as a speed peer.

Same sizes and maths as the SameDiff graphs (graph/.../nn, graph/.../model; README's reference
design): pre-norm blocks, exact GELU, final LayerNorm, PyTorch's default Linear init. The MAE
gathers the visible tokens (lucidrains' vit-pytorch style) instead of hiding masked tokens as
attention keys: the visible tokens' outputs are the same.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def patchify(images: Tensor, patch: int) -> Tensor:
    """[B, C, g·p, g·p] -> [B, g², p²·C], layout b c (h p1) (w p2) -> b (h w) (p1 p2 c)."""
    b, c, h, w = images.shape
    g = h // patch
    x = images.reshape(b, c, g, patch, g, patch).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(b, g * g, patch * patch * c)


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int, dim_head: int) -> None:
        super().__init__()
        inner = heads * dim_head
        self.heads, self.scale = heads, dim_head ** -0.5
        self.norm = nn.LayerNorm(dim)
        self.to_qkv = nn.Linear(dim, 3 * inner, bias=False)
        self.to_out = nn.Linear(inner, dim)

    def forward(self, x: Tensor) -> Tensor:
        b, n, _ = x.shape
        qkv = self.to_qkv(self.norm(x)).reshape(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [B, h, n, d]
        attn = (q @ k.transpose(-1, -2) * self.scale).softmax(dim=-1)
        return self.to_out((attn @ v).transpose(1, 2).reshape(b, n, -1))


class FeedForward(nn.Sequential):
    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__(nn.LayerNorm(dim), nn.Linear(dim, hidden), nn.GELU(),
                         nn.Linear(hidden, dim))


class Transformer(nn.Module):
    def __init__(self, dim: int, depth: int, heads: int, dim_head: int, mlp: int) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.ModuleList([Attention(dim, heads, dim_head), FeedForward(dim, mlp)])
            for _ in range(depth))
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: Tensor) -> Tensor:
        for attn, ff in self.blocks:
            x = attn(x) + x
            x = ff(x) + x
        return self.norm(x)


class ViT(nn.Module):
    """Reference ViT: 28×28×1, 7×7 patches, dim 128, depth 1, 8×64 heads, MLP 128, cls pooling."""

    def __init__(self, image: int = 28, patch: int = 7, channels: int = 1, dim: int = 128,
                 depth: int = 1, heads: int = 8, dim_head: int = 64, mlp: int = 128,
                 classes: int = 10) -> None:
        super().__init__()
        self.patch = patch
        self.num_patches = (image // patch) ** 2
        patch_dim = patch * patch * channels
        self.to_patch_embedding = nn.Sequential(
            nn.LayerNorm(patch_dim), nn.Linear(patch_dim, dim), nn.LayerNorm(dim))
        self.pos = nn.Parameter(torch.randn(self.num_patches, dim))
        self.cls = nn.Parameter(torch.randn(1, 1, dim))
        self.transformer = Transformer(dim, depth, heads, dim_head, mlp)
        self.head = nn.Linear(dim, classes)

    def embed(self, patches: Tensor) -> Tensor:
        return self.to_patch_embedding(patches) + self.pos

    def forward(self, images: Tensor, labels: Tensor) -> Tensor:
        x = self.embed(patchify(images, self.patch))
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        logits = self.head(self.transformer(x)[:, 0])
        return nn.functional.cross_entropy(logits, labels)


class MAE(nn.Module):
    """vit-pytorch's MAE on the reference ViT: 25% masking, decoder dim 512, depth 1, MLP 2048."""

    def __init__(self, encoder: ViT, masking_ratio: float = 0.25, decoder_dim: int = 512,
                 decoder_depth: int = 1, decoder_heads: int = 8, decoder_dim_head: int = 64,
                 decoder_mlp: int = 2048) -> None:
        super().__init__()
        self.encoder = encoder
        n = encoder.num_patches
        self.num_masked = int(masking_ratio * n)
        dim = encoder.pos.shape[1]
        patch_dim = encoder.to_patch_embedding[0].normalized_shape[0]
        self.enc_to_dec = nn.Linear(dim, decoder_dim)
        self.mask_token = nn.Parameter(torch.randn(decoder_dim))
        self.decoder_pos = nn.Parameter(torch.randn(n, decoder_dim))
        self.decoder = Transformer(decoder_dim, decoder_depth, decoder_heads, decoder_dim_head,
                                   decoder_mlp)
        self.to_pixels = nn.Linear(decoder_dim, patch_dim)

    def forward(self, images: Tensor) -> Tensor:
        # Patches → tokens with positions; a random subset of patches per sample is masked.
        patches = patchify(images, self.encoder.patch)
        b, n, _ = patches.shape
        tokens = self.encoder.embed(patches)
        order = torch.rand(b, n).argsort(dim=-1)
        masked_idx, visible_idx = order[:, :self.num_masked], order[:, self.num_masked:]
        rows = torch.arange(b)[:, None]
        # Encode the visible tokens only; project to the decoder.
        encoded = self.encoder.transformer(tokens[rows, visible_idx])
        visible = self.enc_to_dec(encoded) + self.decoder_pos[visible_idx]
        # Mask tokens with decoder positions at the masked patches; decode all n tokens.
        mask = self.mask_token + self.decoder_pos[masked_idx]
        decoded = self.decoder(torch.cat([mask, visible], dim=1))
        # Predict the masked patches' pixels; MSE against them.
        pred = self.to_pixels(decoded[:, :self.num_masked])
        return nn.functional.mse_loss(pred, patches[rows, masked_idx])
