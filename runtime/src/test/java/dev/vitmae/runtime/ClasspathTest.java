package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The runtime serves models without ND4J, DL4J, JavaCPP or any other vitmae module. */
class ClasspathTest {

  @Test
  void nd4jAndDl4jClassesAreNotLoadable() {
    for (String name :
        new String[] {
          "org.nd4j.linalg.factory.Nd4j",
          "org.nd4j.autodiff.samediff.SameDiff",
          "org.deeplearning4j.nn.multilayer.MultiLayerNetwork",
          "org.bytedeco.javacpp.Loader"
        }) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name);
    }
  }

  @Test
  void classPathHasNoNd4jJar() {
    List<String> entries = new ArrayList<>();
    for (String property : new String[] {"java.class.path", "surefire.test.class.path"}) {
      String value = System.getProperty(property);
      if (value != null) entries.addAll(List.of(value.split(File.pathSeparator)));
    }
    assertTrue(
        entries.stream().anyMatch(e -> e.contains("onnxruntime")),
        "the check sees the real class path: " + entries);
    for (String entry : entries) {
      String e = entry.toLowerCase(Locale.ROOT);
      assertFalse(
          e.contains("nd4j")
              || e.contains("deeplearning4j")
              || e.contains("javacpp")
              || e.contains("vitmae-graph")
              || e.contains("vitmae-export"),
          entry);
    }
  }
}
