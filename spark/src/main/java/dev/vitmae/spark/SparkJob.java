package dev.vitmae.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The batch job: embeds or classifies a folder of images into Parquet.
 *
 * <pre>
 * vitmae spark embed --model encoder.onnx --images 'photos/*&#47;*.png' --out embeddings.parquet
 * spark-submit --class dev.vitmae.spark.SparkJob vitmae-spark-VERSION.jar classify --model ... --images ... --out ...
 * </pre>
 *
 * <p>Columns: {@code path}, {@code label} (the class folder; null when the files are not in class
 * folders), {@code embedding} or {@code prediction} + {@code className} + {@code probabilities},
 * and {@code error}: null, or why the file could not be read (its result is then null). With {@code
 * --fail-on-bad-image} such a file fails the job instead, naming it.
 */
public final class SparkJob {

  /**
   * Spark counts each file as 4 MiB more for bin packing, tuned for large files: 10,000 small
   * images became 313 tasks, whose scheduling cost more than the inference (docs/BENCHMARKS.md).
   * 256 KiB packs ~500 images into a task; a value from spark-submit or the config wins.
   */
  static final String OPEN_COST = "spark.sql.files.openCostInBytes";

  private SparkJob() {}

  /**
   * Exits with {@link #run}'s code on failure; returns normally on success (YARN cluster mode wants
   * that).
   */
  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) System.exit(code);
  }

  /**
   * Runs the job in the active Spark session (left open) or in a new one (stopped at the end).
   *
   * @return 0 on success, 1 when the job failed, 2 for a bad command line
   */
  public static int run(String... args) {
    if (java.util.List.of(args).contains("--help") || java.util.List.of(args).contains("-h")) {
      System.out.print(JobArgs.USAGE);
      return 0;
    }
    JobArgs job;
    try {
      job = JobArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("vitmae spark: " + e.getMessage() + "\n" + JobArgs.USAGE);
      return 2;
    }
    SparkSession active =
        SparkSession.getActiveSession()
            .getOrElse(() -> SparkSession.getDefaultSession().getOrElse(() -> null));
    SparkSession spark = active != null ? active : session(job);
    try {
      long start = System.nanoTime();
      VitMetrics metrics = VitMetrics.register(spark.sparkContext());
      write(spark, job, metrics);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "vitmae spark %s: wrote %s: %s; %.1f s wall, %.0f images/s%n",
          job.task(), job.out(), metrics, seconds, metrics.images() / seconds);
      return 0;
    } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown unchecked
      System.err.println("vitmae spark " + job.task() + ": " + reason(e));
      return 1;
    } finally {
      if (active == null) spark.stop();
    }
  }

  /**
   * Reads the images, runs the transformer, writes the Parquet file. An existing output is refused
   * unless {@code --overwrite}; a failed job removes what it wrote, so the rerun is not blocked.
   */
  static void write(SparkSession spark, JobArgs job, VitMetrics metrics) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path out = new Path(job.out());
    FileSystem fs;
    boolean existed;
    try {
      fs = out.getFileSystem(conf);
      existed = fs.exists(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + job.out() + ": " + e.getMessage(), e);
    }
    if (existed && !job.overwrite()) {
      throw new IllegalArgumentException(
          job.out() + " already exists: pass --overwrite to replace it, or choose another --out");
    }
    VitTransformer<?> transformer = transformer(job).setMetrics(metrics);
    ImageFiles files = ImageFiles.of(job.images(), conf);
    Dataset<Row> images = files.load(spark);
    if (job.partitions() > 0) images = images.coalesce(job.partitions());
    Dataset<Row> result = transformer.transform(images);
    List<Column> columns = new ArrayList<>(List.of(new Column("path")));
    // Always a label column: the class folder, or null for files not in class folders.
    columns.add(
        files.labelled()
            ? new Column("label")
            : functions.lit(null).cast(DataTypes.StringType).as("label"));
    for (var f : transformer.outputFields()) columns.add(new Column(f.name()));
    columns.add(new Column(transformer.getErrorCol()));
    try {
      result
          .select(columns.toArray(Column[]::new))
          .write()
          .mode(job.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
          .parquet(job.out());
    } catch (Exception e) { // SparkException is checked, and Spark throws it undeclared
      // What the failed job left (an empty folder, _temporary files) would block the rerun. The
      // old output of an --overwrite run is already gone: Spark removes it before writing.
      try {
        fs.delete(out, true);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
  }

  private static VitTransformer<?> transformer(JobArgs job) {
    VitTransformer<?> t =
        job.task().equals("embed")
            ? new VitEmbedder()
            : job.classNames() == null
                ? new VitClassifier()
                : new VitClassifier().setClassNames(job.classNames());
    return t.setModelPath(job.model())
        .setBatchSize(job.batchSize())
        .setDevice(job.device())
        .setFailOnBadImage(job.failOnBadImage());
  }

  private static SparkSession session(JobArgs job) {
    SparkConf conf = new SparkConf(true);
    String master = job.master() != null ? job.master() : conf.get("spark.master", "local[*]");
    var builder = SparkSession.builder().appName("vitmae spark " + job.task()).master(master);
    if (!conf.contains(OPEN_COST)) builder = builder.config(OPEN_COST, "256k");
    if (master.startsWith("local") && !conf.contains("spark.driver.host")) {
      builder =
          builder
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1");
    }
    return builder.getOrCreate();
  }

  /** The message of the innermost vitmae or argument error, else the exception's first line. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadRowException || t instanceof IllegalArgumentException)
        return t.getMessage();
    }
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
