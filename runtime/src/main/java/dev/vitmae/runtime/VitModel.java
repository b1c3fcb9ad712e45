package dev.vitmae.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.images.BadImageException;
import dev.vitmae.images.Preprocessing;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A vitmae model exported to ONNX (encoder, MAE, classifier or I-JEPA predictor), served with ONNX
 * Runtime.
 *
 * <p>Images are float32 NCHW pixels in [0, 1], row-major {@code [batch, C, H, W]}; a mask is {@code
 * [batch, numPatches]} of 0 (visible) / 1 (masked). Inputs are validated in Java and bad ones throw
 * {@link IllegalArgumentException}. The kind-specific operations are on views, each taken once with
 * its kind checked ({@link #encoder()}, {@link #mae()}, {@link #classifier()}, {@link
 * #predictor()}; another kind throws {@link UnsupportedOperationException} naming it); {@link
 * #run(Map, int)} serves any kind. Any call after {@link #close()} throws {@link
 * IllegalStateException}. One instance may be shared by many threads; {@code close()} waits for the
 * runs in flight.
 *
 * <pre>{@code
 * try (VitModel model = VitModel.open(Path.of("onnx/mae.onnx"), ModelOptions.defaults())) {
 *     MaeView mae = model.mae();                        // the kind is checked here, once
 *     ModelInfo info = mae.info();                      // MAE, 1×28×28 images, 16 patches of 7×7
 *     float[] image = new float[info.imageLength()];    // float32 NCHW pixels in [0, 1]
 *     float[] mask = mae.masks(1, mae.maskingRatio(), 42);   // the trained ratio, seeded
 *     float[] reconstruction = mae.reconstruct(image, mask);
 * }
 * ModelOptions gpu = ModelOptions.defaults().withDevice(Device.CUDA);   // no CUDA: CPU, with a WARN
 * try (VitModel model = VitModel.open(Path.of("onnx/classifier.onnx"), gpu)) {
 *     ClassifierView classifier = model.classifier();
 *     int[] labels = classifier.predict(new float[8 * 784], 8);         // a batch of 8 images
 *     int label = classifier.predict(Path.of("photo.jpg"));           // any size, preprocessed
 *     System.out.println(model.executionProvider());     // CUDAExecutionProvider or CPUExecutionProvider
 * }
 * }</pre>
 */
public final class VitModel implements AutoCloseable {

  private final String source;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final OrtSession.SessionOptions sessionOptions;
  private final String provider;
  private final ModelInfo info;
  private final long[] imageShape;
  private final long fixedBatch;
  private final Preprocessing preprocessing;
  private final InvalidModelException preprocessingError;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /** Runs inside the read lock past the open check: 0 whenever close() has returned. */
  private final java.util.concurrent.atomic.AtomicInteger running =
      new java.util.concurrent.atomic.AtomicInteger();

  private VitModel(String source, OrtEnvironment env, Sessions.Opened opened, ModelInfo info) {
    this.source = source;
    this.env = env;
    this.session = opened.session();
    this.sessionOptions = opened.options();
    this.provider = opened.provider();
    this.info = info;
    this.imageShape = new long[] {0, info.channels(), info.imageSize(), info.imageSize()};
    this.fixedBatch = info.inputs().get(TensorNames.IMAGES).dim(0);
    Preprocessing p = null;
    InvalidModelException error = null;
    try {
      p = info.preprocessing();
    } catch (InvalidModelException e) {
      error = e; // served on pixels still; images and files fail with it
    }
    this.preprocessing = p;
    this.preprocessingError = error;
  }

  /**
   * Opens an {@code .onnx} file.
   *
   * @throws IllegalArgumentException when the file does not exist
   * @throws InvalidModelException when it is not a valid ONNX model or breaks the I/O contract
   * @throws IllegalStateException for {@link Device#CUDA} with strictGpu when CUDA cannot be loaded
   */
  public static VitModel open(Path file, ModelOptions options) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("model file not found: " + file);
    return open(
        new Sessions.Source() {
          public String name() {
            return file.toString();
          }

          public OrtSession create(OrtEnvironment env, OrtSession.SessionOptions o)
              throws OrtException {
            return env.createSession(file.toString(), o);
          }
        },
        options);
  }

  /**
   * Opens a model held in memory.
   *
   * @throws InvalidModelException when the bytes are not a valid ONNX model or break the I/O
   *     contract
   * @throws IllegalStateException for {@link Device#CUDA} with strictGpu when CUDA cannot be loaded
   */
  public static VitModel open(byte[] bytes, ModelOptions options) {
    Objects.requireNonNull(bytes, "bytes");
    return open(
        new Sessions.Source() {
          public String name() {
            return "in-memory model (" + bytes.length + " bytes)";
          }

          public OrtSession create(OrtEnvironment env, OrtSession.SessionOptions o)
              throws OrtException {
            return env.createSession(bytes, o);
          }
        },
        options);
  }

  private static VitModel open(Sessions.Source source, ModelOptions options) {
    Objects.requireNonNull(options, "options");
    OrtEnvironment env = OrtNative.environment();
    Sessions.Opened opened;
    try {
      opened = Sessions.open(env, source, options);
    } catch (OrtException e) {
      throw new InvalidModelException(
          source.name() + " is not a valid ONNX model: " + e.getMessage(), e);
    }
    try {
      return new VitModel(
          source.name(), env, opened, IoContract.read(opened.session(), source.name()));
    } catch (OrtException | RuntimeException e) {
      closeQuietly(opened);
      if (e instanceof RuntimeException r) throw r;
      throw new InvalidModelException(
          source.name() + ": could not read inputs/outputs: " + e.getMessage(), e);
    }
  }

  /** The I/O contract: kind, image size, channels, patches, input/output shapes, metadata. */
  public ModelInfo info() {
    return info;
  }

  /**
   * {@code "CUDAExecutionProvider"} or {@code "CPUExecutionProvider"}: the provider the session
   * really got.
   */
  public String executionProvider() {
    return provider;
  }

  /**
   * This model as an encoder: {@code embed} in every input form.
   *
   * @throws UnsupportedOperationException naming the model's kind when it is not an encoder
   */
  public EncoderView encoder() {
    return new EncoderView(this);
  }

  /**
   * This model as an MAE: {@code reconstruct} in every input form, masks at its trained ratio.
   *
   * @throws UnsupportedOperationException naming the model's kind when it is not an MAE
   */
  public MaeView mae() {
    return new MaeView(this);
  }

  /**
   * This model as a classifier: {@code classify} (logits) and {@code predict} (classes).
   *
   * @throws UnsupportedOperationException naming the model's kind when it is not a classifier
   */
  public ClassifierView classifier() {
    return new ClassifierView(this);
  }

  /**
   * This model as an I-JEPA predictor: {@code predictTargets}.
   *
   * @throws UnsupportedOperationException naming the model's kind when it is not a predictor
   */
  public PredictorView predictor() {
    return new PredictorView(this);
  }

  /**
   * Runs the model on named inputs, for any kind (and the only way to serve a {@link
   * ModelKind#CUSTOM} model): every input the model declares, as {@code batch × (its non-batch
   * dimensions)} floats, row-major. Inputs are checked before they reach native code: names (an
   * unknown or missing one lists the expected ones), lengths, finite values, and {@code images}
   * within [0, 1].
   *
   * @return every output by name, in the model's order
   * @throws IllegalArgumentException for a bad input
   */
  public Map<String, NamedTensor> run(Map<String, float[]> inputs, int batch) {
    Objects.requireNonNull(inputs, "inputs");
    ensureOpen();
    Inputs.batch(batch, fixedBatch);
    if (!inputs.keySet().equals(info.inputs().keySet())) {
      throw new IllegalArgumentException(
          source
              + " takes inputs "
              + new java.util.TreeSet<>(info.inputs().keySet())
              + ", got "
              + new java.util.TreeSet<>(inputs.keySet()));
    }
    Map<String, long[]> shapes = new HashMap<>();
    for (var e : inputs.entrySet()) {
      long[] shape = info.inputs().get(e.getKey()).shape().clone();
      shape[0] = batch;
      Inputs.tensor(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()), shape);
      if (e.getKey().equals(TensorNames.IMAGES))
        Inputs.images(FloatBuffer.wrap(e.getValue()), batch, info);
      shapes.put(e.getKey(), shape);
    }
    return inSession(
        batch,
        feed -> {
          for (var e : inputs.entrySet()) {
            feed.put(
                e.getKey(),
                OnnxTensor.createTensor(
                    env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
          }
          try (OrtSession.Result result = session.run(feed)) {
            Map<String, NamedTensor> out = new java.util.LinkedHashMap<>();
            for (String name : info.outputs().keySet()) {
              Output o = read(result, name, batch);
              out.put(name, new NamedTensor(name, o.shape(), o.data()));
            }
            return out;
          }
        });
  }

  /**
   * The preprocessing that turns any image into this model's input, computed once at open: the
   * recorded {@code vitmae.preprocessing.*} metadata, else resize + centre crop to the input size
   * ({@link ModelPreprocessing}).
   *
   * @throws InvalidModelException when the recorded preprocessing is malformed or disagrees with
   *     the input shape
   */
  public Preprocessing preprocessing() {
    if (preprocessing == null) throw preprocessingError;
    return preprocessing;
  }

  /**
   * {@code image} (any size, mode and alpha) as this model's {@code C×H×W} input floats in [0, 1].
   */
  public float[] pixels(BufferedImage image) {
    return preprocessing().apply(Objects.requireNonNull(image, "image"));
  }

  /**
   * An image file (JPEG, PNG, BMP, GIF) decoded and preprocessed as this model's input.
   *
   * @throws BadImageException naming the file when it cannot be decoded
   */
  public float[] pixels(Path imageFile) throws BadImageException {
    return preprocessing().apply(Objects.requireNonNull(imageFile, "imageFile"));
  }

  /**
   * Closes the session after the runs in flight finish; later calls throw {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      closeQuietly(new Sessions.Opened(session, sessionOptions, provider));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs past the open check and not yet finished; for tests. */
  int runsInFlight() {
    return running.get();
  }

  @Override
  public String toString() {
    return "VitModel["
        + source
        + ", "
        + info.kind()
        + ", "
        + provider
        + (closed ? ", closed" : "")
        + "]";
  }

  /** One output of a run: row-major data and its shape. */
  record Output(float[] data, long[] shape) {}

  /**
   * One session run for the views: {@code images} checked here, {@code masks} ({@code [batch,
   * numPatches]} inputs by name) checked by the view.
   */
  Output[] run(Pixels pixels, Map<String, FloatBuffer> masks, String... outputs) {
    int batch = pixels.batch();
    FloatBuffer images = pixels.images();
    checkImages(images, batch);
    return inSession(
        batch,
        feed -> {
          long[] shape = imageShape.clone();
          shape[0] = batch;
          feed.put(
              TensorNames.IMAGES,
              OnnxTensor.createTensor(env, Staging.direct(images, Staging.IMAGES), shape));
          int slot = Staging.MASK;
          for (var m : masks.entrySet()) {
            feed.put(
                m.getKey(),
                OnnxTensor.createTensor(
                    env,
                    Staging.direct(m.getValue(), slot++),
                    new long[] {batch, info.numPatches()}));
          }
          try (OrtSession.Result result = session.run(feed, Set.of(outputs))) {
            Output[] read = new Output[outputs.length];
            for (int i = 0; i < outputs.length; i++) read[i] = read(result, outputs[i], batch);
            return read;
          }
        });
  }

  /** What one session run does with its feed (tensors it adds are closed afterwards). */
  @FunctionalInterface
  private interface SessionWork<T> {
    T run(Map<String, OnnxTensor> feed) throws OrtException;
  }

  /**
   * Runs {@code work} inside the read lock, past the open check and counted as in flight, closing
   * every tensor it put in the feed; ONNX Runtime failures become {@link InferenceException}.
   */
  private <T> T inSession(int batch, SessionWork<T> work) {
    lock.readLock().lock();
    boolean started = false;
    Map<String, OnnxTensor> feed = new HashMap<>(4);
    try {
      ensureOpen();
      started = true;
      running.incrementAndGet();
      return work.run(feed);
    } catch (OrtException e) {
      throw new InferenceException(
          source + ": ONNX Runtime failed on a batch of " + batch + ": " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
      if (started) running.decrementAndGet();
      lock.readLock().unlock();
    }
  }

  private Output read(OrtSession.Result result, String name, int batch) throws OrtException {
    OnnxTensor tensor =
        (OnnxTensor)
            result
                .get(name)
                .orElseThrow(
                    () -> new InferenceException(source + ": output '" + name + "' missing", null));
    long[] shape = tensor.getInfo().getShape();
    if (shape.length == 0 || shape[0] != batch) {
      throw new InferenceException(
          source
              + ": output '"
              + name
              + "' has shape "
              + java.util.Arrays.toString(shape)
              + ", expected batch "
              + batch
              + " first",
          null);
    }
    FloatBuffer buffer = tensor.getFloatBuffer();
    float[] data = new float[buffer.remaining()];
    buffer.get(data);
    return new Output(data, shape);
  }

  /** The one kind check: the views call it when taken. */
  void requireKind(ModelKind kind, String view) {
    ensureOpen();
    info.requireKind(kind, source, view);
  }

  private void checkImages(FloatBuffer images, int batch) {
    Objects.requireNonNull(images, "images");
    Inputs.batch(batch, fixedBatch);
    Inputs.images(images, batch, info);
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException(source + " is closed");
  }

  private static void closeQuietly(Sessions.Opened opened) {
    try {
      opened.session().close();
    } catch (OrtException e) {
      // Nothing left to release that the caller could act on.
    } finally {
      opened.options().close();
    }
  }
}
