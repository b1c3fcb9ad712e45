package dev.vitmae.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.VitTask;

/**
 * The model config {@code vitmae train} prints: the task's JSON less what the model does not use. A
 * self-supervised encoder (MAE, I-JEPA) has no classifier head, so its {@code numClasses} is left
 * out; its {@code pool} stays, since the exported encoder's pooled embedding uses it.
 */
final class PrintedConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrintedConfig() {}

  static String of(Task task) {
    String json = task.configJson();
    if (task instanceof VitTask) return json;
    try {
      if (JSON.readTree(json) instanceof ObjectNode root
          && root.get("encoder") instanceof ObjectNode encoder) {
        encoder.remove("numClasses");
        return JSON.writeValueAsString(root);
      }
    } catch (JsonProcessingException e) {
      // Not JSON (a custom task's description): print it as it is.
    }
    return json;
  }
}
