/**
 * Reads published model weights into named float32 tensors without running any of their code.
 *
 * <p>Entry point: {@link dev.vitmae.weights.StateDict#read(java.nio.file.Path)}, for safetensors
 * files and the zip checkpoints {@code torch.save} writes. Each {@link dev.vitmae.weights.Tensor}
 * has its name, shape, source {@link dev.vitmae.weights.DType} (F32, F16, BF16, F64, integer and
 * bool types) and reads as {@code float[]} or {@code FloatBuffer}.
 *
 * <p><b>Why these readers are written here.</b> Maven Central has no maintained Java safetensors
 * reader outside whole engines (DJL reads safetensors inside its {@code ai.djl:api} NDArray
 * engine); the format is eight bytes and a JSON header, parsed here with Jackson, which vitmae
 * already uses. For pickles there is Razorvine's {@code net.razorvine:pickle} (MIT, maintained, the
 * one Spark uses), but its unpickler resolves any global through a process-wide constructor
 * registry and turns unknown classes into dictionaries rather than refusing them; an allow-list
 * that refuses by default is the safety property wanted here, and {@code torch.load} itself uses a
 * purpose-built unpickler for {@code weights_only=True}. {@code RestrictedUnpickler} is that: a few
 * hundred lines that interpret protocol 2-5 opcodes and build only the globals a state dict needs.
 *
 * <p><b>What a checkpoint may contain.</b> Tensors and parameters ({@code
 * torch._utils._rebuild_tensor_v2}, {@code _rebuild_parameter}) over typed storages ({@code
 * torch.FloatStorage}, {@code HalfStorage}, {@code BFloat16Storage}, ...), {@code
 * collections.OrderedDict}, plain dicts, lists, tuples, sets, ints, floats, strings, bytes, bools
 * and None — the epoch counters, losses and optimizer state that training scripts save next to the
 * model — and {@code argparse.Namespace}, whose fields are read as a dict (facebookresearch/mae and
 * DeiT save their {@code args}; nothing is constructed or called). Any other global — {@code
 * posix.system}, {@code builtins.eval}, a numpy scalar, a user's class — is refused with a {@link
 * dev.vitmae.weights.ForbiddenGlobalException} naming it, and the whole file is rejected: a partial
 * read could hide what the file tried to do.
 *
 * <p>Compared with PyTorch 1.13's own {@code weights_only=True} loader (recorded by the test
 * fixtures' generator): the allowed globals are a subset of its list (dense tensors only; sparse,
 * meta and quantized tensors, {@code torch.Size} and dtype objects are refused) plus {@code
 * argparse.Namespace}; protocol 4 and 5 pickles are read, which 1.13 refuses; the legacy pre-1.6
 * format, which it reads, is refused here.
 *
 * <p>No ND4J and no ONNX Runtime here: the mapping onto vitmae's graphs lives downstream.
 */
package dev.vitmae.weights;
