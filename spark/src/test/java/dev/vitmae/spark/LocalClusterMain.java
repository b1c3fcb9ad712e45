package dev.vitmae.spark;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of {@link LocalClusterTest}, in its own JVM (one SparkContext per JVM): {@code
 * LocalClusterMain <images glob> <model> <out.parquet> <executor class path> <executor JVM
 * options>}. Embeds the images on a {@code local-cluster[2,1,1024]} (two executor JVMs), writes
 * Parquet, then prints one line {@code executor <pid> sessions <n>} per executor JVM that ran a
 * task.
 */
public final class LocalClusterMain {
  private LocalClusterMain() {}

  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local-cluster[2,1,1024]")
            .appName("vitmae-local-cluster-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.extraClassPath", args[3])
            .config("spark.executor.extraJavaOptions", args[4])
            .config("spark.executor.memory", "1g")
            .getOrCreate();
    try {
      // Both executors registered before the first task, so both get work.
      long deadline = System.currentTimeMillis() + 120_000;
      while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      var files = spark.read().format("binaryFile").load(args[0]).repartition(8);
      new VitEmbedder()
          .setModelPath(args[1])
          .setBatchSize(4)
          .transform(files)
          .select("path", "embedding", "error")
          .write()
          .parquet(args[2]);
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Integer> partitions = new ArrayList<>();
      for (int i = 0; i < 16; i++) partitions.add(i);
      List<String> executors =
          sc.parallelize(partitions, 16)
              .mapPartitions(
                  (Iterator<Integer> it) ->
                      List.of(
                              "executor "
                                  + ProcessHandle.current().pid()
                                  + " sessions "
                                  + ExecutorSessions.created())
                          .iterator())
              .distinct()
              .collect();
      executors.forEach(System.out::println);
      System.out.println("driver " + ManagementFactory.getRuntimeMXBean().getPid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      spark.stop();
    }
  }
}
