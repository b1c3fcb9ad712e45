package dev.vitmae.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link SparkJob}.
 *
 * @param task {@code embed} or {@code classify}
 * @param model the {@code .onnx} file (any Hadoop file system URI)
 * @param images a Hadoop glob of image files ({@code photos/*}{@code /*.png}) or a folder (read
 *     recursively)
 * @param out the Parquet output
 * @param master the Spark master, or null for the one spark-submit set (else {@code local[*]})
 * @param failOnBadImage fail naming the file instead of writing the reason to {@code error}
 * @param batchSize images per ONNX Runtime run
 * @param device cpu, cuda or auto
 * @param classNames class names for {@code classify}, or null
 * @param partitions fewer input partitions (coalesced), 0 = Spark's choice
 * @param overwrite replace an existing output
 */
record JobArgs(
    String task,
    String model,
    String images,
    String out,
    String master,
    boolean failOnBadImage,
    int batchSize,
    String device,
    String[] classNames,
    int partitions,
    boolean overwrite) {

  static final String USAGE =
      """
usage: vitmae spark embed|classify --model FILE --images GLOB --out OUT.parquet [options]
  --model FILE          the .onnx model (encoder for embed, classifier for classify); any Hadoop URI
  --images GLOB         image files, a Hadoop glob ('photos/*/*.png') or a folder (read recursively);
                        files in class subfolders get the folder's name in column 'label'
  --out OUT.parquet     Parquet output: path, [label], embedding | prediction, className,
                        probabilities; error (null, or why the file could not be read)
  --master URL          Spark master (default: the one spark-submit set, else local[*])
  --fail-on-bad-image   fail the job naming the file instead of writing the reason to 'error'
  --batch-size N        images per ONNX Runtime run (default 64)
  --device D            cpu, cuda or auto (default auto)
  --class-names A,B,..  names of the classifier's classes, index order (default: the
                        names the model records, else className is null)
  --partitions N        coalesce the input into at most N partitions (default: Spark's choice)
  --overwrite           replace OUT if it exists
""";

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException with a message for the user on any mistake
   */
  static JobArgs parse(String... args) {
    if (args.length == 0) throw new IllegalArgumentException("no task given");
    String task = args[0];
    if (!task.equals("embed") && !task.equals("classify")) {
      throw new IllegalArgumentException("unknown task '" + task + "', expected embed or classify");
    }
    String model = null;
    String images = null;
    String out = null;
    String master = null;
    boolean fail = false;
    boolean overwrite = false;
    int batch = 64;
    int partitions = 0;
    String device = "auto";
    String[] names = null;
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    while (!rest.isEmpty()) {
      String option = rest.remove(0);
      switch (option) {
        case "--model" -> model = value(option, rest);
        case "--images" -> images = value(option, rest);
        case "--out" -> out = value(option, rest);
        case "--master" -> master = value(option, rest);
        case "--device" -> device = value(option, rest);
        case "--batch-size" -> batch = positive(option, value(option, rest));
        case "--partitions" -> partitions = positive(option, value(option, rest));
        case "--class-names" -> names = value(option, rest).split(",");
        case "--fail-on-bad-image" -> fail = true;
        case "--overwrite" -> overwrite = true;
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    if (model == null) throw new IllegalArgumentException("--model is required");
    if (images == null) throw new IllegalArgumentException("--images is required");
    if (out == null) throw new IllegalArgumentException("--out is required");
    if (names != null && task.equals("embed")) {
      throw new IllegalArgumentException("--class-names is for classify");
    }
    return new JobArgs(
        task, model, images, out, master, fail, batch, device, names, partitions, overwrite);
  }

  private static String value(String option, List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return rest.remove(0);
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be an integer >= 1, got '" + value + "'");
  }
}
