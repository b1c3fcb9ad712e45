#!/usr/bin/python3
"""Writes the test fixtures of vitmae-weights into fixtures/ next to this script.

Run from anywhere (the Maven tests never run it; they read what it wrote):

    apt-get install -y python3-torch python3-numpy   # Debian bookworm: 1.13.1+dfsg-4, numpy 1.24.2
                                                     # (its torch.__version__ reads 1.13.0a0)
    /usr/bin/python3 weights/src/test/resources/make_fixtures.py

Every file but the malformed ones comes from real PyTorch: torch.save for the checkpoints, and
safetensors files written here by hand from the documented format (Debian has no
python3-safetensors): an 8-byte little-endian header length, a JSON header padded with spaces to
8 bytes, then each tensor's little-endian bytes. expected.json records, for each well-formed
file, every tensor's shape, dtype and float32 values (row-major), and the torch version.
The random values are seeded, so a rerun with the same torch writes the same numbers.
"""
import argparse
import builtins
import collections
import io
import json
import os
import struct
import zipfile

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)

NAMES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}
expected = {"torch": torch.__version__, "command": "/usr/bin/python3 make_fixtures.py", "files": {}}


def path(name):
    return os.path.join(OUT, name)


def record(file, tensors, extras=None):
    entry = expected["files"].setdefault(file, {"tensors": {}, "extras": {}})
    for name, t in tensors.items():
        entry["tensors"][name] = {
            "shape": list(t.shape),
            "dtype": NAMES[t.dtype],
            "values": [float(v) for v in t.detach().to(torch.float32).reshape(-1).tolist()],
        }
    entry["extras"].update(extras or {})


# ---------------------------------------------------------------- safetensors, by the format
def raw(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def safetensors_bytes(tensors, metadata=None, edit=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        b = raw(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    if edit:
        edit(header)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


def write(name, blob):
    with open(path(name), "wb") as f:
        f.write(blob)


tiny = collections.OrderedDict()
tiny["w"] = torch.randn(2, 3)
tiny["b"] = torch.randn(3)
tiny["h"] = torch.tensor([0.1, -2.5, 6e-8, 65504.0, -0.0], dtype=torch.float16)  # subnormal, max
tiny["bf"] = torch.randn(2, 2).to(torch.bfloat16)
tiny["d"] = torch.tensor([1.0 / 3.0, -1e-40], dtype=torch.float64)  # rounds to float32; a float32 subnormal
tiny["steps"] = torch.tensor(7, dtype=torch.int64)  # a scalar, shape []
tiny["u"] = torch.tensor([0, 128, 255], dtype=torch.uint8)
tiny["m"] = torch.tensor([True, False])
tiny["empty"] = torch.zeros(0, 3)
write("tiny.safetensors", safetensors_bytes(tiny, {"format": "pt", "source": "make_fixtures.py"}))
record("tiny.safetensors", tiny, {"__metadata__": {"format": "pt", "source": "make_fixtures.py"}})

small = collections.OrderedDict(a=torch.arange(6.0).reshape(2, 3), c=torch.ones(2))


def edited(fn):
    return safetensors_bytes(small, None, fn)


def set_offsets(name, begin, end):
    def fn(h):
        h[name]["data_offsets"] = [begin, end]
    return fn


ok = safetensors_bytes(small)
write("bad_header_length.safetensors", struct.pack("<Q", 10**12) + ok[8:])
write("header_past_end.safetensors", struct.pack("<Q", len(ok)) + ok[8:])
write("offsets_out_of_range.safetensors", edited(set_offsets("c", 4096, 4096 + 8)))
write("overlap.safetensors", edited(set_offsets("c", 16, 24)))
write("byte_count.safetensors", edited(set_offsets("a", 0, 20)))
write("trailing_bytes.safetensors", ok + b"\0" * 8)
holed = edited(set_offsets("c", 32, 40))
write("hole.safetensors", holed[:-8] + b"\0" * 8 + holed[-8:])


def set_dtype(name, dtype):
    def fn(h):
        h[name]["dtype"] = dtype
    return fn


write("unknown_dtype.safetensors", edited(set_dtype("a", "F8_E4M3")))
write("wrong_dtype.safetensors", edited(set_dtype("a", "float32")))
bad_json = b'{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]'
write("not_json.safetensors", struct.pack("<Q", len(bad_json)) + bad_json + ok[8 + struct.unpack("<Q", ok[:8])[0]:])
dup = b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'
write("duplicate_name.safetensors", struct.pack("<Q", len(dup)) + dup + b"\0" * 8)


# ---------------------------------------------------------------- torch.save checkpoints
class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = torch.nn.Conv2d(3, 4, kernel_size=2, stride=2)
        self.norm = torch.nn.LayerNorm(4)
        self.head = torch.nn.Linear(4, 2)
        self.bn = torch.nn.BatchNorm1d(2)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2).mean(1)
        return self.bn(self.head(self.norm(x)))


model = Tiny()
model.train()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
loss = model(torch.randn(4, 3, 4, 4)).square().mean()
loss.backward()
opt.step()  # also moves bn's running stats and num_batches_tracked
sd = model.state_dict()

torch.save(sd, path("state_dict.pt"))
record("state_dict.pt", sd)

torch.save(sd, path("protocol4.pt"), pickle_protocol=4)  # FRAME, STACK_GLOBAL, MEMOIZE
record("protocol4.pt", sd)

args = argparse.Namespace(lr=1e-3, model="tiny", batch_size=8, dims=[1, 2])
torch.save({"model": sd, "optimizer": opt.state_dict(), "epoch": 3, "loss": 0.25, "args": args},
           path("nested.pth"))
record("nested.pth", {"model." + k: v for k, v in sd.items()},
       {"epoch": 3, "loss": 0.25, "args.lr": 1e-3, "args.model": "tiny", "args.batch_size": 8,
        "args.dims": [1, 2]})

ddp = collections.OrderedDict(("module." + k, v) for k, v in sd.items())
target = collections.OrderedDict(("module." + k, v * 2) for k, v in sd.items())
torch.save({"encoder": ddp, "predictor": collections.OrderedDict(
    [("module.head.weight", torch.randn(2, 4))]), "target_encoder": target, "epoch": 1},
    path("ijepa_like.pth"))
record("ijepa_like.pth", {**{"encoder." + k: v for k, v in ddp.items()},
                          **{"target_encoder." + k: v for k, v in target.items()}}, {"epoch": 1})
torch.save({"state_dict": ddp}, path("ddp.pth"))
record("ddp.pth", {"state_dict." + k: v for k, v in ddp.items()})

base = torch.randn(3, 4)
line = torch.arange(10.0)
strided = {
    "transposed": base.t(),                        # stride (1, 4)
    "column_slice": base[:, 1:3],                  # offset 1, stride (4, 1)
    "offset_view": line[2:7],                      # offset 2
    "every_other": line[::2],                      # stride 2
    "expanded": torch.arange(3.0).expand(2, 3),    # stride (0, 1)
    "scalar": torch.tensor(1.5),
}
assert not strided["transposed"].is_contiguous()
torch.save(strided, path("strided.pt"))
record("strided.pt", strided)

half = {
    "f16": torch.randn(2, 3).half(),
    "bf16": torch.randn(3, 2).to(torch.bfloat16),
    "f16_transposed": torch.randn(3, 2).half().t(),
    "f64": torch.randn(2).double(),
    "param": torch.nn.Parameter(torch.randn(2, 2)),  # pickled via _rebuild_parameter
    "i32": torch.tensor([-3, 5], dtype=torch.int32),
}
torch.save(half, path("half.pt"))
record("half.pt", half)

torch.save({"w": torch.ones(2)}, path("legacy.pt"), _use_new_zipfile_serialization=False)
with open(path("state_dict.pt"), "rb") as f:
    whole = f.read()
write("truncated.pth", whole[: len(whole) // 2])

with zipfile.ZipFile(path("state_dict.pt")) as src, \
        zipfile.ZipFile(path("missing_storage.pt"), "w", zipfile.ZIP_STORED) as dst:
    for item in src.infolist():
        if not item.filename.endswith("/data/1"):
            dst.writestr(item.filename.replace("state_dict/", "missing_storage/"), src.read(item))


class System:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


class Eval:
    def __reduce__(self):
        return (builtins.eval, ("__import__('os').system('echo pwned')",))


torch.save({"w": torch.ones(2), "payload": System()}, path("evil_system.pt"))
torch.save({"w": torch.ones(2), "payload": Eval()}, path("evil_eval.pt"))

# For comparison, what PyTorch's own allow-list loader makes of each checkpoint (1.13 refuses
# argparse.Namespace and protocol-4 pickles, which vitmae reads, and reads the legacy format).
weights_only = {}
for name in sorted(os.listdir(OUT)):
    if name.endswith((".pt", ".pth")):
        try:
            torch.load(path(name), weights_only=True)
            weights_only[name] = "read"
        except Exception as e:  # noqa: BLE001 - recording, not handling
            weights_only[name] = "refused: " + type(e).__name__
expected["torch.load(weights_only=True)"] = weights_only

with open(path("expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print("torch", torch.__version__, "wrote", sorted(os.listdir(OUT)))
