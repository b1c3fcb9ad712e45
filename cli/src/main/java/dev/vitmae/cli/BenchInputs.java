package dev.vitmae.cli;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.PatchGrid;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.runtime.ClassifierView;
import dev.vitmae.runtime.EncoderView;
import dev.vitmae.runtime.MaeView;
import dev.vitmae.runtime.VitModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random inputs for {@code bench infer}: images {@code [maxBatch, C, H, W]} uniform in [0,
 * 1) and, for an MAE, masks {@code [maxBatch, numPatches]} at the checkpoint's masking ratio. A
 * batch is a prefix of them.
 */
record BenchInputs(PatchGrid encoder, float[] images, float[] mask) {
  /** The image geometry of a checkpoint's encoder, as its ONNX metadata states it. */
  static PatchGrid grid(InferenceModel model) {
    Map<String, String> m = model.metadata();
    return new PatchGrid(
        MetadataKey.IMAGE_SIZE.get(m).orElseThrow(),
        MetadataKey.CHANNELS.get(m).orElseThrow(),
        MetadataKey.PATCH_SIZE.get(m).orElseThrow());
  }

  static final long SEED = 1234;

  static BenchInputs random(Checkpoint ckpt, int maxBatch) {
    PatchGrid c = grid(CheckpointExporter.of(ckpt).model(InferenceModel.ENCODER));
    double ratio =
        ckpt.kind().equalsIgnoreCase(Tasks.MAE)
            ? RecordJson.read(MaeConfig.class, ckpt.modelJson()).maskingRatio()
            : MaeMasking.DEFAULT_RATIO;
    SplittableRandom rng = new SplittableRandom(SEED);
    float[] images = new float[maxBatch * c.imageLength()];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    float[] mask =
        MaeMasking.toFloatMask(
            MaeMasking.sample(maxBatch, c.numPatches(), ratio, SEED), c.numPatches());
    return new BenchInputs(c, images, mask);
  }

  int imageLength() {
    return encoder.imageLength();
  }

  float[] images(int batch) {
    return Arrays.copyOf(images, batch * imageLength());
  }

  float[] mask(int batch) {
    return Arrays.copyOf(mask, batch * encoder.numPatches());
  }

  /**
   * One model run on the first {@code batch} inputs, prepared now (arrays or direct buffers) so
   * timing excludes it.
   */
  Runnable runner(VitModel vm, String model, int batch, boolean direct) {
    float[] x = images(batch);
    float[] m = mask(batch);
    FloatBuffer xb = direct ? direct(x) : null;
    FloatBuffer mb = direct ? direct(m) : null;
    return switch (vm.info().kind()) {
      case ENCODER -> {
        EncoderView e = vm.encoder();
        yield direct ? () -> e.embed(xb, batch) : () -> e.embed(x, batch);
      }
      case MAE -> {
        MaeView mae = vm.mae();
        yield direct ? () -> mae.reconstruct(xb, mb, batch) : () -> mae.reconstruct(x, m, batch);
      }
      case CLASSIFIER -> {
        ClassifierView c = vm.classifier();
        yield direct ? () -> c.classify(xb, batch) : () -> c.classify(x, batch);
      }
      default -> throw new IllegalArgumentException(BenchInferCommand.UNBENCHED);
    };
  }

  private static FloatBuffer direct(float[] values) {
    FloatBuffer buffer =
        ByteBuffer.allocateDirect(values.length * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    buffer.put(values).flip();
    return buffer;
  }
}
