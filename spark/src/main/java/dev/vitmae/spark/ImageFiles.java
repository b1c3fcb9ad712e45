package dev.vitmae.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Image files as rows of Spark's {@code binaryFile} source ({@code path, modificationTime, length,
 * content}), and their class: the name of the folder under the glob's fixed root that holds them.
 *
 * <p>A glob's last segment becomes the source's {@code pathGlobFilter} and the rest the folders to
 * list: Spark then lists a few folders, not (with a job of one task per file) every matched file.
 *
 * @param pattern what to load: a folder, or a Hadoop glob of folders (or of files)
 * @param fileFilter the glob of file names within them, or null
 * @param root the qualified folder the classes are below (the glob's part before its first
 *     wildcard)
 * @param recursive whether {@code pattern} is a folder, read recursively
 * @param labelled whether files can sit in class subfolders of {@code root}
 */
record ImageFiles(
    String pattern, String fileFilter, String root, boolean recursive, boolean labelled) {

  /**
   * Resolves {@code images}: a folder is read recursively and labelled by its subfolders; a glob is
   * labelled when a wildcard stands for a folder under its fixed root ({@code data/*}{@code
   * /*.png}).
   */
  static ImageFiles of(String images, Configuration conf) {
    try {
      Path path = new Path(images);
      FileSystem fs = path.getFileSystem(conf);
      if (!hasGlob(images) && fs.getFileStatus(path).isDirectory()) {
        return new ImageFiles(images, null, fs.makeQualified(path).toString(), true, true);
      }
      String[] parts = images.split("/", -1);
      int first = 0;
      while (first < parts.length && !hasGlob(parts[first])) first++;
      if (first == parts.length) first = parts.length - 1; // one file, no wildcard
      String fixed = String.join("/", java.util.Arrays.copyOf(parts, first));
      Path root = new Path(fixed.isEmpty() ? "." : fixed);
      boolean labelled = parts.length - first >= 2;
      String qualified = fs.makeQualified(root).toString();
      String last = parts[parts.length - 1];
      if (parts.length < 2 || !hasGlob(last)) {
        return new ImageFiles(images, null, qualified, false, labelled);
      }
      String folders = images.substring(0, images.length() - last.length() - 1);
      return new ImageFiles(folders.isEmpty() ? "/" : folders, last, qualified, false, labelled);
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalArgumentException("no image files at " + images, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + images + ": " + e.getMessage(), e);
    }
  }

  /** The files, with a {@code label} column when {@link #labelled()}. */
  Dataset<Row> load(SparkSession spark) {
    var reader = spark.read().format("binaryFile");
    if (recursive) reader = reader.option("recursiveFileLookup", "true");
    if (fileFilter != null) reader = reader.option("pathGlobFilter", fileFilter);
    Dataset<Row> files = reader.load(pattern);
    List<Row> empty = emptyFiles(files);
    if (!empty.isEmpty()) files = files.union(spark.createDataFrame(empty, files.schema()));
    if (!labelled) return files;
    String base = root;
    var label = functions.udf((UDF1<String, String>) p -> label(base, p), DataTypes.StringType);
    return files.withColumn("label", label.apply(new Column("path")));
  }

  /**
   * The zero-byte files the source listed. Spark's file scan drops them before any reader sees them
   * ({@code length > 0} filter when it splits files), so they would vanish without a trace; as rows
   * with empty content they reach the decoder and come out as bad images ("empty file") like any
   * other. Read from the listing Spark already made (its file index): no second listing.
   */
  static List<Row> emptyFiles(Dataset<Row> files) {
    List<Row> rows = new ArrayList<>();
    for (scala.collection.Iterator<LogicalPlan> leaves =
            files.queryExecution().analyzed().collectLeaves().iterator();
        leaves.hasNext(); ) {
      if (leaves.next() instanceof LogicalRelation relation
          && relation.relation() instanceof HadoopFsRelation fs
          && fs.location() instanceof PartitioningAwareFileIndex index) {
        for (scala.collection.Iterator<FileStatus> it = index.allFiles().iterator();
            it.hasNext(); ) {
          FileStatus f = it.next();
          if (f.isFile() && f.getLen() == 0) {
            rows.add(
                RowFactory.create(
                    f.getPath().toString(),
                    new java.sql.Timestamp(f.getModificationTime()),
                    0L,
                    new byte[0]));
          }
        }
      }
    }
    return rows;
  }

  /** The first folder of {@code path} under {@code root}, or null for a file directly in it. */
  static String label(String root, String path) {
    String prefix = root.endsWith("/") ? root : root + "/";
    if (path == null || !path.startsWith(prefix)) return null;
    String relative = path.substring(prefix.length());
    int slash = relative.indexOf('/');
    return slash > 0 ? relative.substring(0, slash) : null;
  }

  private static boolean hasGlob(String s) {
    return s.chars().anyMatch(c -> "*?[{\\".indexOf(c) >= 0);
  }
}
