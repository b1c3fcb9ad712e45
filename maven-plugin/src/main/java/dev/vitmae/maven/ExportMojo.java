package dev.vitmae.maven;

import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.export.OnnxExporter;
import dev.vitmae.graph.train.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code vitmae:export}: a checkpoint's inference models as ONNX files, like {@code vitmae export}.
 * Writes {@code encoder.onnx}, {@code mae.onnx}, {@code classifier.onnx} and/or {@code
 * predictor.onnx}; by default every model the checkpoint provides.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.vitmae</groupId>
 *   <artifactId>vitmae-maven-plugin</artifactId>
 *   <version>0.1.0-SNAPSHOT</version>
 *   <executions>
 *     <execution>
 *       <goals><goal>export</goal></goals>
 *       <configuration>
 *         <checkpoint>${project.basedir}/runs/mae/checkpoint.zip</checkpoint>
 *         <models>encoder,mae</models>  <!-- optional -->
 *       </configuration>
 *     </execution>
 *   </executions>
 * </plugin>
 * }</pre>
 *
 * Fails the build ({@link MojoFailureException}) on a missing or corrupt checkpoint, an unknown
 * model, a model the checkpoint cannot provide, or an unsupported opset.
 */
@Mojo(
    name = "export",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresProject = false,
    threadSafe = true)
public class ExportMojo extends AbstractMojo {
  /** The checkpoint zip written by {@code vitmae train}. */
  @Parameter(property = "vitmae.checkpoint", required = true)
  File checkpoint;

  /** Where the {@code <model>.onnx} files go. */
  @Parameter(property = "vitmae.outputDirectory", defaultValue = "${project.build.directory}/onnx")
  File outputDirectory;

  /**
   * {@code encoder}, {@code mae}, {@code classifier}, {@code predictor}; default: all the
   * checkpoint provides.
   */
  @Parameter(property = "vitmae.models")
  List<String> models;

  /** ONNX opset, 17 to 21 ({@code OnnxExporter.MIN_OPSET} to {@code MAX_OPSET}). */
  @Parameter(property = "vitmae.opset", defaultValue = "" + OnnxExporter.DEFAULT_OPSET)
  int opset = OnnxExporter.DEFAULT_OPSET;

  /**
   * Gives {@code encoder.onnx} the optional {@code attention} output (the last block's attention to
   * each patch; {@code CheckpointExporter.attention}).
   */
  @Parameter(property = "vitmae.attention", defaultValue = "false")
  boolean attention;

  /** Skips the export, e.g. {@code -Dvitmae.skip}. */
  @Parameter(property = "vitmae.skip", defaultValue = "false")
  boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("vitmae:export skipped");
      return;
    }
    try {
      OnnxExporter.checkOpset(opset);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    List<String> requested = requested();
    Checkpoint ckpt;
    try {
      ckpt = Checkpoint.read(checkpoint.toPath());
    } catch (IOException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    CheckpointExporter exporter;
    try {
      exporter = CheckpointExporter.of(ckpt).opset(opset).attention(attention);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(checkpoint + ": " + e.getMessage(), e);
    }
    List<String> chosen = chosen(requested, exporter.available());
    try {
      for (Path file : exporter.export(outputDirectory.toPath(), chosen)) {
        getLog()
            .info(
                String.format(
                    Locale.ROOT, "wrote %s (%,d bytes, opset %d)", file, Files.size(file), opset));
      }
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(checkpoint + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException(
          "cannot write ONNX files to " + outputDirectory + ": " + e.getMessage(), e);
    }
  }

  /** The models named in {@code models}, in order, without repeats; empty for the default. */
  private List<String> requested() throws MojoFailureException {
    List<String> requested = new ArrayList<>();
    for (String m : models == null ? List.<String>of() : models) {
      if (m == null || m.isBlank()) continue;
      String model = m.trim().toLowerCase(Locale.ROOT);
      // Which names exist depends on the checkpoint's kind (models are open); the syntax does not.
      if (!model.matches("[a-z0-9][a-z0-9_-]*")) {
        throw new MojoFailureException(
            "'"
                + m.trim()
                + "' is not a model name: use lower-case letters, digits,"
                + " '_' or '-' (e.g. encoder, mae, classifier, predictor)");
      }
      if (!requested.contains(model)) requested.add(model);
    }
    return requested;
  }

  /** The models to write, all checked before the first file is: by default all available. */
  private List<String> chosen(List<String> requested, List<String> available)
      throws MojoFailureException {
    if (requested.isEmpty()) return available;
    for (String model : requested) {
      if (!available.contains(model)) {
        throw new MojoFailureException(
            "checkpoint " + checkpoint + " has no " + model + " model; available: " + available);
      }
    }
    return requested;
  }
}
