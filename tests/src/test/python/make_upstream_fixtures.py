#!/usr/bin/python3
"""Writes tests/src/test/resources/upstream/: small random-initialised models built by the upstream
code itself, their weights in both formats, fixed inputs and masks, and the upstream outputs.

The Maven tests never run this script (the test command needs no PyTorch); they read what it wrote.

Upstream code (checked out beside the project, never committed into it):

    timm          github.com/huggingface/pytorch-image-models  aa4b5850c1543fa488abf260f18390eda46cf85d
    mae           github.com/facebookresearch/mae              efb2a8062c206524e35e47d04501ed4f544c0ae8
    ijepa         github.com/facebookresearch/ijepa            52c1ae95d05f743e000e8f10a1f3a79b10cff048
    transformers  4.27.1, src/ as copied in github.com/xiaojunjun65/transformers-mlu_4.27.1
                  206a0dd0c172c20014ba9c0f803706c8620fe6b7 (huggingface/transformers itself is a 1.3 GB
                  repository, too big to bring here; that copy's models/vit and models/vit_mae differ
                  from 4.27.1 only by a line `import torch_mlu`, which this script drops when it loads them)

Command (Debian bookworm: python3-torch 1.13.1+dfsg-4, python3-numpy 1.24.2):

    /usr/bin/python3 tests/src/test/python/make_upstream_fixtures.py \\
        --timm /work/upstream/timm --mae /work/upstream/mae --ijepa /work/upstream/ijepa \\
        --transformers /work/upstream/hf-4.27.1/src

How each upstream is run on Debian's PyTorch 1.13 (what this script adds, nothing else):
  - timm runs as is (without torch.nn.functional.scaled_dot_product_attention it takes its own
    softmax(q k^T * scale) v path).
  - mae was written for timm 0.3.2, which does not import on torch >= 1.9 (torch._six): its
    models_mae.py imports PatchEmbed and Block from the current timm, whose Block no longer takes
    qk_scale=None; a Block subclass that drops that one argument (None: the default scale
    head_dim^-0.5 either way) is put in its place. util/pos_embed.py uses np.float, gone from
    numpy >= 1.24: np.float = float is set before the import.
  - ijepa runs as is.
  - transformers: the package's own __init__ needs packages Debian does not have (tokenizers,
    huggingface_hub, ...), so modeling_vit.py, modeling_vit_mae.py and their configuration_*.py run
    from their own source under a stand-in `transformers` package that provides only what they
    import: ACT2FN["gelu"] = torch.nn.GELU() (exact erf GELU, as HF's GELUActivation), the output
    dataclasses, PreTrainedModel (post_init applies the model's own _init_weights; get_head_mask
    gives no head mask), PretrainedConfig (keyword arguments as attributes), logging and docstring
    decorators. All the arithmetic is the files' own.

Every model gets seeded random weights: its own initialisation, then every trainable parameter
plus N(0, 0.1) noise, so that no LayerNorm is the identity and no bias is zero and a mapping that
swaps or drops a tensor shows in the outputs. Fixed sin-cos tables (requires_grad=False upstream)
are left as upstream computes them. Everything runs in float32, eval mode, on the CPU.

For each fixture NAME it writes NAME.pth (torch.save, the zip format, laid out as the upstream
trainer saves it), NAME.safetensors (the same tensors; see README.md for the names) and
NAME.expected.safetensors (inputs, masks, outputs). The safetensors files are written here by hand
from the documented format (Debian has no python3-safetensors): an 8-byte little-endian header
length, a JSON header padded with spaces to a multiple of 8 bytes, then each tensor's
little-endian bytes in header order.
"""
import argparse
import contextlib
import dataclasses
import collections
import importlib.util
import json
import logging
import os
import struct
import sys
import types
from functools import partial

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "upstream")
SEED = 20260607
BATCH = 2
IMAGE = 32
NOISE_STD = 0.1


# ---------------------------------------------------------------- safetensors, by the format
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype not in DTYPES:
            raise ValueError(f"{name}: {t.dtype}")
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# ---------------------------------------------------------------- common
def randomise(model):
    """Upstream initialisation plus N(0, NOISE_STD) on every trainable parameter."""
    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.add_(torch.randn_like(p) * NOISE_STD)
    model.eval()
    return model


def images():
    return torch.rand(BATCH, 3, IMAGE, IMAGE)


def state_dict(model):
    return {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}


def save(name, pth_object, safetensors_dict, expected, meta):
    torch.save(pth_object, os.path.join(OUT, name + ".pth"))  # zip format (torch >= 1.6 default)
    write_safetensors(os.path.join(OUT, name + ".safetensors"), safetensors_dict, meta)
    write_safetensors(os.path.join(OUT, name + ".expected.safetensors"),
                      {k: (v.float() if v.is_floating_point() else v.long()) for k, v in expected.items()},
                      meta)
    summary[name] = {"config": meta,
                     "weights": {k: list(v.shape) for k, v in safetensors_dict.items()},
                     "expected": {k: list(v.shape) for k, v in expected.items()}}
    print(name, "written:", len(safetensors_dict), "tensors,", len(expected), "expected")


@contextlib.contextmanager
def fixed_rand(noise):
    """torch.rand(N, L) inside the block returns `noise` (the MAE's masking noise), once."""
    original = torch.rand
    calls = []

    def rand(*size, **kwargs):
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
        assert shape == tuple(noise.shape) and not calls, (shape, calls)
        calls.append(shape)
        return noise.clone()

    torch.rand = rand
    try:
        yield
    finally:
        torch.rand = original
    assert calls, "the model drew no masking noise"


summary = {}


# ---------------------------------------------------------------- timm
def timm_fixtures(args):
    sys.path.insert(0, args.timm)
    import timm
    from timm.models.vision_transformer import VisionTransformer

    small = dict(img_size=IMAGE, patch_size=8, embed_dim=32, depth=2, num_heads=4)
    variants = {
        # the default VisionTransformer: class token, learned positions with a class slot,
        # global_pool='token', final norm, a classifier head
        "timm_vit_token": lambda: VisionTransformer(**small, num_classes=10),
        # global average pooling: no final norm on the tokens, fc_norm after the pool
        "timm_vit_avg": lambda: VisionTransformer(**small, num_classes=0, global_pool="avg"),
        # the registered .mae model (weights from facebookresearch/mae): the default
        # VisionTransformer without a head, created through timm's registry at a small size
        "timm_vit_mae": lambda: timm.create_model("vit_base_patch16_224.mae", pretrained=False, **small),
        # the registered I-JEPA model: no class token, average pool without fc_norm
        "timm_vit_gap_ijepa": lambda: timm.create_model(
            "vit_huge_patch14_gap_224.in1k_ijepa", pretrained=False, **small),
    }
    for name, make in variants.items():
        torch.manual_seed(SEED)
        model = randomise(make())
        x = images()
        with torch.no_grad():
            tokens = model.forward_features(x)
            pooled = model.forward_head(tokens, pre_logits=True)
            expected = {"images": x, "tokens": tokens, "pooled": pooled}
            if model.num_classes:
                expected["logits"] = model.forward_head(tokens)
                torch.testing.assert_close(expected["logits"], model(x), rtol=0, atol=0)
        sd = state_dict(model)
        meta = {"upstream": "timm", "commit": args.timm_commit, "class": "timm.models.vision_transformer.VisionTransformer",
                "model": name, "img_size": IMAGE, "patch_size": 8, "embed_dim": 32, "depth": 2, "num_heads": 4,
                "mlp_ratio": 4.0, "qkv_bias": True, "layer_norm_eps": 1e-6,
                "class_token": model.cls_token is not None, "global_pool": model.global_pool,
                "fc_norm": not isinstance(model.fc_norm, nn.Identity), "num_classes": model.num_classes,
                "tokens": "forward_features(images)", "pooled": "forward_head(tokens, pre_logits=True)"}
        save(name, sd, sd, expected, meta)
    sys.path.remove(args.timm)


# ---------------------------------------------------------------- facebookresearch/mae
def mae_fixture(args):
    sys.path.insert(0, args.timm)
    sys.path.insert(0, args.mae)
    np.float = float  # util/pos_embed.py: np.arange(..., dtype=np.float)
    import timm.models.vision_transformer as tvt

    class Block(tvt.Block):  # timm 0.3.2's Block took qk_scale; None means the default scale
        def __init__(self, *a, qk_scale=None, **k):
            assert qk_scale is None
            super().__init__(*a, **k)

    original_block = tvt.Block
    tvt.Block = Block
    import models_mae
    tvt.Block = original_block

    cfg = dict(img_size=IMAGE, patch_size=8, in_chans=3, embed_dim=32, depth=2, num_heads=4,
               decoder_embed_dim=16, decoder_depth=2, decoder_num_heads=2, mlp_ratio=4.,
               norm_layer=partial(nn.LayerNorm, eps=1e-6), norm_pix_loss=False)
    torch.manual_seed(SEED)
    model = randomise(models_mae.MaskedAutoencoderViT(**cfg))
    x = images()
    patches = (IMAGE // 8) ** 2
    noise = torch.rand(BATCH, patches)
    mask_ratio = 0.75
    with torch.no_grad():
        with fixed_rand(noise):
            loss, pred, mask = model(x, mask_ratio=mask_ratio)
        with fixed_rand(noise):
            latent, mask2, ids_restore = model.forward_encoder(x, mask_ratio)
        assert torch.equal(mask, mask2)
        torch.testing.assert_close(pred, model.forward_decoder(latent, ids_restore), rtol=0, atol=0)
        model.norm_pix_loss = True
        loss_norm_pix = model.forward_loss(x, pred, mask)
        model.norm_pix_loss = False
        # the whole image through the encoder: noise 0, 1, 2, ... keeps every patch in order
        with fixed_rand(torch.arange(patches, dtype=torch.float32).repeat(BATCH, 1)):
            tokens, _, _ = model.forward_encoder(x, 0.0)
        target = model.patchify(x)
    ids_shuffle = torch.argsort(noise, dim=1)
    len_keep = int(patches * (1 - mask_ratio))
    expected = {"images": x, "noise": noise, "ids_shuffle": ids_shuffle, "ids_restore": ids_restore,
                "ids_keep": ids_shuffle[:, :len_keep], "mask": mask, "latent": latent, "pred": pred,
                "target": target, "loss": loss, "loss_norm_pix": loss_norm_pix, "tokens": tokens}
    sd = state_dict(model)
    meta = {"upstream": "facebookresearch/mae", "commit": args.mae_commit, "class": "models_mae.MaskedAutoencoderViT",
            "img_size": IMAGE, "patch_size": 8, "in_chans": 3, "embed_dim": 32, "depth": 2, "num_heads": 4,
            "decoder_embed_dim": 16, "decoder_depth": 2, "decoder_num_heads": 2, "mlp_ratio": 4.0,
            "layer_norm_eps": 1e-6, "mask_ratio": mask_ratio, "norm_pix_loss": False,
            "pred": "forward_decoder(latent, ids_restore)", "loss": "forward(images, 0.75) with noise",
            "loss_norm_pix": "forward_loss with norm_pix_loss=True", "tokens": "forward_encoder(images, 0) with noise 0..N-1"}
    # the published checkpoints (mae_pretrain_vit_base.pth) hold {'model': state_dict}
    save("mae", {"model": sd}, sd, expected, meta)
    sys.path.remove(args.mae)
    sys.path.remove(args.timm)


# ---------------------------------------------------------------- facebookresearch/ijepa
def ijepa_fixture(args):
    sys.path.insert(0, args.ijepa)
    from src.models.vision_transformer import VisionTransformer, VisionTransformerPredictor
    from src.masks.multiblock import MaskCollator
    from src.masks.utils import apply_masks
    from src.utils.tensors import repeat_interleave_batch

    patch = 4
    grid = IMAGE // patch
    torch.manual_seed(SEED)
    # as src/models/vision_transformer.py's vit_* and vit_predictor factories, at a small size
    encoder = randomise(VisionTransformer(img_size=[IMAGE], patch_size=patch, embed_dim=32, depth=2, num_heads=4,
                                          mlp_ratio=4, qkv_bias=True, norm_layer=partial(nn.LayerNorm, eps=1e-6)))
    predictor = randomise(VisionTransformerPredictor(num_patches=grid * grid, embed_dim=32, predictor_embed_dim=16,
                                                     depth=2, num_heads=2, mlp_ratio=4, qkv_bias=True,
                                                     norm_layer=partial(nn.LayerNorm, eps=1e-6)))
    # the target encoder: a copy of the context encoder moved a step by EMA-like noise, so that
    # a mapping that reads the wrong one shows
    target_encoder = randomise(VisionTransformer(img_size=[IMAGE], patch_size=patch, embed_dim=32, depth=2,
                                                 num_heads=4, mlp_ratio=4, qkv_bias=True,
                                                 norm_layer=partial(nn.LayerNorm, eps=1e-6)))
    x = images()
    # the masks of configs/in1k_vith14_ep300.yaml, on an 8x8 grid
    collator = MaskCollator(input_size=(IMAGE, IMAGE), patch_size=patch, enc_mask_scale=(0.85, 1.0),
                            pred_mask_scale=(0.15, 0.2), aspect_ratio=(0.75, 1.5), nenc=1, npred=4,
                            min_keep=4, allow_overlap=False)
    _, masks_enc, masks_pred = collator([(x[i],) for i in range(BATCH)])
    with torch.no_grad():
        tokens = encoder(x)
        context = encoder(x, masks_enc)
        predictions = predictor(context, masks_enc, masks_pred)
        # train.py's forward_target and loss_fn
        h = target_encoder(x)
        h = F.layer_norm(h, (h.size(-1),))
        h = apply_masks(h, masks_pred)
        targets = repeat_interleave_batch(h, BATCH, repeat=len(masks_enc))
        loss = F.smooth_l1_loss(predictions, targets)
    expected = {"images": x, "tokens": tokens, "context": context, "predictions": predictions,
                "targets": targets, "loss": loss}
    for i, m in enumerate(masks_enc):
        expected[f"masks_enc.{i}"] = m
    for i, m in enumerate(masks_pred):
        expected[f"masks_pred.{i}"] = m
    parts = {"encoder": state_dict(encoder), "predictor": state_dict(predictor),
             "target_encoder": state_dict(target_encoder)}
    # train.py's save_checkpoint: the models under DistributedDataParallel ('module.'), plus scalars
    pth = {k: {"module." + n: t for n, t in v.items()} for k, v in parts.items()}
    pth.update({"epoch": 300, "loss": float(loss), "batch_size": 128, "world_size": 16, "lr": 0.001})
    flat = {f"{k}.{n}": t for k, v in parts.items() for n, t in v.items()}
    meta = {"upstream": "facebookresearch/ijepa", "commit": args.ijepa_commit,
            "class": "src.models.vision_transformer.VisionTransformer + VisionTransformerPredictor",
            "img_size": IMAGE, "patch_size": patch, "embed_dim": 32, "depth": 2, "num_heads": 4, "mlp_ratio": 4.0,
            "predictor_embed_dim": 16, "predictor_depth": 2, "predictor_num_heads": 2, "layer_norm_eps": 1e-6,
            "npred": len(masks_pred), "nenc": len(masks_enc),
            "tokens": "encoder(images)", "context": "encoder(images, masks_enc)",
            "predictions": "predictor(context, masks_enc, masks_pred)",
            "targets": "train.py forward_target with target_encoder", "loss": "smooth_l1_loss(predictions, targets)"}
    save("ijepa", pth, flat, expected, meta)
    sys.path.remove(args.ijepa)


# ---------------------------------------------------------------- Hugging Face transformers
def hf_standin():
    """The few names modeling_vit*.py import from their package, and nothing else."""
    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        if not name.count(".") or name.endswith(("models", "vit", "vit_mae")):
            m.__path__ = []
        sys.modules[name] = m
        return m

    class ModelOutput(collections.OrderedDict):
        def __post_init__(self):
            for f in dataclasses.fields(self):
                v = getattr(self, f.name)
                if v is not None:
                    self[f.name] = v

        def __getitem__(self, k):
            return dict(self.items())[k] if isinstance(k, str) else self.to_tuple()[k]

        def to_tuple(self):
            return tuple(self[k] for k in self.keys())

    def output(name, *fields):
        return dataclasses.make_dataclass(name, [(f, object, None) for f in fields], bases=(ModelOutput,))

    class PretrainedConfig:
        def __init__(self, **kwargs):
            self.output_attentions = False
            self.output_hidden_states = False
            self.use_return_dict = True
            self.chunk_size_feed_forward = 0
            self.pruned_heads = {}
            for k, v in kwargs.items():
                setattr(self, k, v)

    class PreTrainedModel(nn.Module):
        def __init__(self, config, *a, **k):
            super().__init__()
            self.config = config

        def post_init(self):
            self.apply(self._init_weights)

        def get_head_mask(self, head_mask, num_hidden_layers, is_attention_chunked=False):
            assert head_mask is None
            return [None] * num_hidden_layers

    def unused(*a, **k):
        raise NotImplementedError("not part of the forward pass")

    decorator = lambda *a, **k: (lambda f: f)  # noqa: E731
    module("transformers")
    module("transformers.activations", ACT2FN={"gelu": nn.GELU()})
    module("transformers.modeling_outputs",
           BaseModelOutput=output("BaseModelOutput", "last_hidden_state", "hidden_states", "attentions"),
           BaseModelOutputWithPooling=output("BaseModelOutputWithPooling", "last_hidden_state", "pooler_output",
                                             "hidden_states", "attentions"),
           ImageClassifierOutput=output("ImageClassifierOutput", "loss", "logits", "hidden_states", "attentions"),
           MaskedLMOutput=output("MaskedLMOutput", "loss", "logits", "hidden_states", "attentions"))
    module("transformers.modeling_utils", PreTrainedModel=PreTrainedModel)
    module("transformers.pytorch_utils", find_pruneable_heads_and_indices=unused, prune_linear_layer=unused)
    module("transformers.configuration_utils", PretrainedConfig=PretrainedConfig)
    module("transformers.onnx", OnnxConfig=object)
    module("transformers.utils", ModelOutput=ModelOutput, logging=types.SimpleNamespace(get_logger=logging.getLogger),
           add_code_sample_docstrings=decorator, add_start_docstrings=decorator,
           add_start_docstrings_to_model_forward=decorator, replace_return_docstrings=decorator)
    if importlib.util.find_spec("packaging") is None:
        module("packaging", version=types.SimpleNamespace(parse=lambda s: s))
    module("transformers.models")
    module("transformers.models.vit")
    module("transformers.models.vit_mae")


def hf_load(root, dotted):
    """Runs transformers/<path>.py from its own source under the name transformers.<dotted>."""
    path = os.path.join(root, "transformers", *dotted.split(".")) + ".py"
    with open(path) as f:
        source = f.read()
    dropped = source.count("import torch_mlu\n")
    source = source.replace("import torch_mlu\n", "")
    name = "transformers." + dotted
    m = types.ModuleType(name)
    m.__file__ = path
    m.__package__ = name.rpartition(".")[0]
    sys.modules[name] = m
    exec(compile(source, path, "exec"), m.__dict__)
    return m, dropped


def hf_fixtures(args):
    hf_standin()
    vit_cfg, _ = hf_load(args.transformers, "models.vit.configuration_vit")
    vit, _ = hf_load(args.transformers, "models.vit.modeling_vit")
    mae_cfg, _ = hf_load(args.transformers, "models.vit_mae.configuration_vit_mae")
    mae, _ = hf_load(args.transformers, "models.vit_mae.modeling_vit_mae")
    small = dict(image_size=IMAGE, patch_size=8, num_channels=3, hidden_size=32, num_hidden_layers=2,
                 num_attention_heads=4, intermediate_size=128, qkv_bias=True)

    torch.manual_seed(SEED)
    config = vit_cfg.ViTConfig(**small)
    model = randomise(vit.ViTModel(config, add_pooling_layer=True))
    x = images()
    with torch.no_grad():
        out = model(pixel_values=x, return_dict=True)
    expected = {"images": x, "tokens": out.last_hidden_state, "pooled": out.pooler_output}
    sd = state_dict(model)
    meta = dict({"upstream": "huggingface/transformers 4.27.1", "source": args.transformers_commit,
                 "class": "transformers.models.vit.modeling_vit.ViTModel(add_pooling_layer=True)",
                 "layer_norm_eps": config.layer_norm_eps, "hidden_act": config.hidden_act,
                 "tokens": "last_hidden_state", "pooled": "pooler_output (tanh(dense(class token)))"}, **small)
    save("hf_vit", sd, sd, expected, meta)

    torch.manual_seed(SEED)
    config = mae_cfg.ViTMAEConfig(**small, decoder_hidden_size=16, decoder_num_hidden_layers=2,
                                  decoder_num_attention_heads=2, decoder_intermediate_size=64, mask_ratio=0.75,
                                  norm_pix_loss=False)
    model = randomise(mae.ViTMAEForPreTraining(config))
    x = images()
    patches = (IMAGE // 8) ** 2
    noise = torch.rand(BATCH, patches)
    with torch.no_grad():
        out = model(pixel_values=x, noise=noise, return_dict=True)
        model.config.norm_pix_loss = True
        loss_norm_pix = model.forward_loss(x, out.logits, out.mask)
        model.config.norm_pix_loss = False
    ids_shuffle = torch.argsort(noise, dim=1)
    expected = {"images": x, "noise": noise, "ids_shuffle": ids_shuffle, "ids_restore": out.ids_restore,
                "ids_keep": ids_shuffle[:, :int(patches * (1 - 0.75))], "mask": out.mask,
                "latent": model.vit(pixel_values=x, noise=noise, return_dict=True).last_hidden_state,
                "pred": out.logits, "loss": out.loss, "loss_norm_pix": loss_norm_pix}
    sd = state_dict(model)
    meta = dict({"upstream": "huggingface/transformers 4.27.1", "source": args.transformers_commit,
                 "class": "transformers.models.vit_mae.modeling_vit_mae.ViTMAEForPreTraining",
                 "layer_norm_eps": config.layer_norm_eps, "hidden_act": config.hidden_act,
                 "decoder_hidden_size": 16, "decoder_num_hidden_layers": 2, "decoder_num_attention_heads": 2,
                 "decoder_intermediate_size": 64, "mask_ratio": 0.75, "norm_pix_loss": False,
                 "latent": "vit(images, noise).last_hidden_state", "pred": "logits"}, **small)
    save("hf_vit_mae", sd, sd, expected, meta)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--timm", required=True)
    p.add_argument("--mae", required=True)
    p.add_argument("--ijepa", required=True)
    p.add_argument("--transformers", required=True, help="the src/ directory of transformers 4.27.1")
    args = p.parse_args()
    args.timm_commit = "aa4b5850c1543fa488abf260f18390eda46cf85d"
    args.mae_commit = "efb2a8062c206524e35e47d04501ed4f544c0ae8"
    args.ijepa_commit = "52c1ae95d05f743e000e8f10a1f3a79b10cff048"
    args.transformers_commit = "xiaojunjun65/transformers-mlu_4.27.1@206a0dd0c172c20014ba9c0f803706c8620fe6b7"
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    timm_fixtures(args)
    mae_fixture(args)
    ijepa_fixture(args)
    hf_fixtures(args)
    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump({"torch": torch.__version__, "numpy": np.__version__, "fixtures": summary}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
