package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several executor JVMs ({@code local-cluster[2,1,1024]}, a standalone master and worker inside a
 * forked driver, executors launched as separate processes from a Spark home of this test's jars):
 * each executor opens one ONNX Runtime session, and the embeddings equal local mode's, bit for bit.
 */
class LocalClusterTest {

  @TempDir Path dir;

  @Test
  void oneSessionPerExecutorProcessAndTheSameEmbeddings() throws Exception {
    Path images = dir.resolve("images");
    TestSpark.pngs(images, 24, 17, "cats", "dogs", "owls");
    String glob = images + "/*/*.png";
    String model = TestSpark.model(TestSpark.ENCODER).toString();
    Path out = dir.resolve("cluster.parquet");

    // A Spark home whose jars/ holds this test's jars: the worker builds executors' class path
    // from it; class folders go through spark.executor.extraClassPath.
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("launcher/target/scala-2.12"));
    List<String> folders = new ArrayList<>();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) folders.add(entry);
      else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = home.resolve("jars").resolve(p.getFileName());
        if (!Files.exists(link)) Files.createSymbolicLink(link, p);
      }
    }
    List<String> jvmOptions = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")
          || a.startsWith("-XX:+IgnoreUnrecognized")
          || a.startsWith("-Dio.netty")) jvmOptions.add(a);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath, LocalClusterMain.class.getName()));
    command.addAll(
        List.of(
            glob,
            model,
            out.toString(),
            String.join(File.pathSeparator, folders),
            String.join(" ", jvmOptions)));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.12");
    Process driver = pb.start();
    String output = new String(driver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(driver.waitFor(5, TimeUnit.MINUTES), "the driver timed out");
    assertEquals(0, driver.exitValue(), tail(output));

    // One session per executor process, and at least two executor processes other than the driver.
    Map<Long, Integer> sessions = new HashMap<>();
    long driverPid = -1;
    for (String line : output.split("\n")) {
      String[] w = line.trim().split(" ");
      if (w.length == 4 && w[0].equals("executor") && w[2].equals("sessions"))
        sessions.put(Long.parseLong(w[1]), Integer.parseInt(w[3]));
      if (w.length == 2 && w[0].equals("driver")) driverPid = Long.parseLong(w[1]);
    }
    assertEquals(2, sessions.size(), tail(output));
    assertTrue(!sessions.containsKey(driverPid), "executors are separate processes: " + sessions);
    for (int created : sessions.values()) assertEquals(1, created, sessions.toString());

    // The same embeddings as local mode (the shared test session), bit for bit.
    SparkSession spark = TestSpark.spark();
    Map<String, float[]> local = new HashMap<>();
    var files = spark.read().format("binaryFile").load(glob);
    for (Row r :
        new VitEmbedder().setModelPath(model).setBatchSize(4).transform(files).collectAsList())
      local.put(r.getAs("path"), TestSpark.floats(r, "embedding"));
    List<Row> cluster = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(24, cluster.size());
    for (Row r : cluster) {
      assertNull(r.getAs("error"));
      assertArrayEquals(local.get((String) r.getAs("path")), TestSpark.floats(r, "embedding"));
    }
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
  }
}
