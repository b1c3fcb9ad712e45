package dev.vitmae.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.ModelContract;
import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.TensorNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and checks the vitmae I/O contract (version 1) of a session: names, ranks and float32 types
 * of {@code images}, {@code mask}, {@code tokens}, {@code embedding} (and an encoder's optional
 * {@code attention}), {@code reconstruction}, {@code logits}, and for I-JEPA predictors {@code
 * context_mask}, {@code target_mask}, {@code predicted_tokens}.
 */
final class IoContract {

  private IoContract() {}

  /**
   * @param source the file name or a description, for messages
   * @throws InvalidModelException when the session does not follow the contract
   */
  static ModelInfo read(OrtSession session, String source) throws OrtException {
    Map<String, String> meta = session.getMetadata().getCustomMetadata();
    Map<String, TensorSpec> inputs = specs(session.getInputInfo());
    Map<String, TensorSpec> outputs = specs(session.getOutputInfo());
    Check check = new Check(source);

    String contract = meta.get(MetadataKey.IO_CONTRACT.name());
    if (contract != null && !contract.trim().equals(ModelContract.VERSION)) {
      throw check.fail(
          MetadataKey.IO_CONTRACT
              + " is '"
              + contract
              + "', this runtime reads version "
              + ModelContract.VERSION);
    }
    TensorSpec images = inputs.get(TensorNames.IMAGES);
    if (images == null) {
      throw check.fail(
          "expected a float32 input 'images' [batch, channels, height, width]; found inputs "
              + inputs.values());
    }
    check.tensor("input", images, 4, "[batch, channels, height, width]");
    ModelKind kind = kindOf(meta, inputs, outputs, check);

    Set<String> allowedInputs =
        switch (kind) {
          case MAE -> Set.of(TensorNames.IMAGES, TensorNames.MASK);
          case PREDICTOR ->
              Set.of(TensorNames.IMAGES, TensorNames.CONTEXT_MASK, TensorNames.TARGET_MASK);
          case ENCODER, CLASSIFIER -> Set.of(TensorNames.IMAGES);
          case CUSTOM -> inputs.keySet();
        };
    Set<String> extra = new TreeSet<>(inputs.keySet());
    extra.removeAll(allowedInputs);
    if (kind == ModelKind.CUSTOM) {
      for (TensorSpec spec : inputs.values()) check.fixedBeyondBatch("input", spec);
      for (TensorSpec spec : outputs.values()) check.floatTensor("output", spec);
    }
    if (!extra.isEmpty()) {
      throw check.fail(
          "a "
              + kind.metadataName()
              + " model takes inputs "
              + new TreeSet<>(allowedInputs)
              + "; found also "
              + extra);
    }
    switch (kind) {
      case ENCODER -> {
        check.tensor(
            "output",
            check.present(outputs, TensorNames.TOKENS, "output"),
            3,
            "[batch, tokens, dim]");
        check.tensor(
            "output", check.present(outputs, TensorNames.EMBEDDING, "output"), 2, "[batch, dim]");
        // Optional: exported on request.
        TensorSpec attention = outputs.get(TensorNames.ATTENTION);
        if (attention != null) check.tensor("output", attention, 2, "[batch, num_patches]");
      }
      case MAE -> {
        check.tensor(
            "input", check.present(inputs, TensorNames.MASK, "input"), 2, "[batch, num_patches]");
        check.tensor(
            "output",
            check.present(outputs, TensorNames.RECONSTRUCTION, "output"),
            4,
            "[batch, channels, height, width]");
      }
      case CLASSIFIER ->
          check.tensor(
              "output",
              check.present(outputs, TensorNames.LOGITS, "output"),
              2,
              "[batch, classes]");
      case CUSTOM -> {}
      case PREDICTOR -> {
        check.tensor(
            "input",
            check.present(inputs, TensorNames.CONTEXT_MASK, "input"),
            2,
            "[batch, num_patches]");
        check.tensor(
            "input",
            check.present(inputs, TensorNames.TARGET_MASK, "input"),
            2,
            "[batch, num_patches]");
        check.tensor(
            "output",
            check.present(outputs, TensorNames.PREDICTED_TOKENS, "output"),
            3,
            "[batch, tokens, dim]");
      }
    }

    int channels = check.dim(images, 1, meta, MetadataKey.CHANNELS, "image channels");
    int height = check.dim(images, 2, meta, MetadataKey.IMAGE_SIZE, "image height");
    int width = check.dim(images, 3, meta, MetadataKey.IMAGE_SIZE, "image width");
    if (height != width) throw check.fail("expected square images; found " + images);
    if (kind == ModelKind.MAE) {
      TensorSpec rec = outputs.get(TensorNames.RECONSTRUCTION);
      for (int i = 1; i < 4; i++) {
        if (rec.dim(i) > 0 && rec.dim(i) != images.dim(i)) {
          throw check.fail(
              "output 'reconstruction' must have the shape of 'images' "
                  + images
                  + "; found "
                  + rec);
        }
      }
    }
    int numPatches =
        numPatches(
            inputs.getOrDefault(TensorNames.MASK, inputs.get(TensorNames.CONTEXT_MASK)),
            meta,
            check);
    int patchSize = patchSize(height, numPatches, meta, check);
    if (numPatches == 0 && patchSize > 0 && height % patchSize == 0) {
      numPatches = (height / patchSize) * (height / patchSize);
    }
    String name = meta.getOrDefault(MetadataKey.MODEL.name(), kind.metadataName()).trim();
    return new ModelInfo(
        kind, name, height, channels, patchSize, numPatches, inputs, outputs, meta);
  }

  private static ModelKind kindOf(
      Map<String, String> meta,
      Map<String, TensorSpec> inputs,
      Map<String, TensorSpec> outputs,
      Check check) {
    String declared = meta.get(MetadataKey.MODEL.name());
    if (declared != null) {
      try {
        return ModelKind.fromMetadata(declared);
      } catch (IllegalArgumentException e) {
        throw check.fail(e.getMessage());
      }
    }
    if (outputs.containsKey(TensorNames.RECONSTRUCTION) && inputs.containsKey(TensorNames.MASK))
      return ModelKind.MAE;
    if (outputs.containsKey(TensorNames.LOGITS)) return ModelKind.CLASSIFIER;
    if (outputs.containsKey(TensorNames.PREDICTED_TOKENS)) return ModelKind.PREDICTOR;
    if (outputs.containsKey(TensorNames.TOKENS) && outputs.containsKey(TensorNames.EMBEDDING))
      return ModelKind.ENCODER;
    throw check.fail(
        "no "
            + MetadataKey.MODEL
            + " metadata, and outputs "
            + new TreeSet<>(outputs.keySet())
            + " match no model kind: encoder (tokens, embedding), mae (input mask, output reconstruction),"
            + " classifier (logits), predictor (predicted_tokens)");
  }

  private static int numPatches(TensorSpec mask, Map<String, String> meta, Check check) {
    if (mask != null) return check.dim(mask, 1, meta, MetadataKey.NUM_PATCHES, "number of patches");
    return check.value(MetadataKey.NUM_PATCHES, meta).orElse(0);
  }

  private static int patchSize(
      int imageSize, int numPatches, Map<String, String> meta, Check check) {
    var declared = check.value(MetadataKey.PATCH_SIZE, meta);
    if (declared.isPresent()) return declared.get();
    int side = (int) Math.round(Math.sqrt(numPatches));
    return side > 0 && side * side == numPatches && imageSize % side == 0 ? imageSize / side : 0;
  }

  private static Map<String, TensorSpec> specs(Map<String, NodeInfo> nodes) {
    Map<String, TensorSpec> specs = new LinkedHashMap<>();
    nodes.forEach(
        (name, node) -> {
          if (node.getInfo() instanceof TensorInfo t) {
            specs.put(name, new TensorSpec(name, t.type.name(), t.getShape()));
          } else {
            specs.put(
                name,
                new TensorSpec(
                    name,
                    node.getInfo()
                        .getClass()
                        .getSimpleName()
                        .replace("Info", "")
                        .toUpperCase(java.util.Locale.ROOT),
                    new long[0]));
          }
        });
    return specs;
  }

  /** Builds the contract-violation messages, all prefixed with the model's source. */
  private record Check(String source) {

    InvalidModelException fail(String what) {
      return new InvalidModelException(
          source + " does not follow the vitmae I/O contract: " + what);
    }

    TensorSpec present(Map<String, TensorSpec> specs, String name, String role) {
      TensorSpec spec = specs.get(name);
      if (spec == null) {
        throw fail(
            "expected an " + role + " '" + name + "'; found " + role + "s " + specs.values());
      }
      return spec;
    }

    /** A float32 tensor whose every dimension but the first (the batch) is fixed. */
    void fixedBeyondBatch(String role, TensorSpec spec) {
      floatTensor(role, spec);
      for (int i = 1; i < spec.rank(); i++) {
        if (spec.dim(i) <= 0)
          throw fail(
              role
                  + " '"
                  + spec.name()
                  + "' has a symbolic dimension "
                  + i
                  + " besides the batch: "
                  + spec);
      }
    }

    void floatTensor(String role, TensorSpec spec) {
      if (!spec.elementType().equals("FLOAT") || spec.rank() < 1) {
        throw fail(
            "expected "
                + role
                + " '"
                + spec.name()
                + "' to be a float32 tensor with a batch dimension;"
                + " found "
                + spec);
      }
    }

    void tensor(String role, TensorSpec spec, int rank, String layout) {
      if (!spec.elementType().equals("FLOAT") || spec.rank() != rank) {
        throw fail(
            "expected "
                + role
                + " '"
                + spec.name()
                + "' to be a float32 tensor of rank "
                + rank
                + " "
                + layout
                + "; found "
                + spec);
      }
    }

    /**
     * A fixed dimension, or the metadata value when symbolic; they must agree when both are
     * present.
     */
    int dim(
        TensorSpec spec,
        int axis,
        Map<String, String> meta,
        MetadataKey<Integer> key,
        String what) {
      long fixed = spec.dim(axis);
      Integer declared = value(key, meta).orElse(null);
      if (fixed > 0 && declared != null && fixed != declared) {
        throw fail(what + " is " + fixed + " in " + spec + " but " + key + " says " + declared);
      }
      if (fixed > 0) return Math.toIntExact(fixed);
      if (declared != null) return declared;
      throw fail(what + " is symbolic in " + spec + " and metadata " + key + " is absent");
    }

    /** A metadata value; a malformed one fails naming the key and the value. */
    <T> java.util.Optional<T> value(MetadataKey<T> key, Map<String, String> meta) {
      try {
        return key.get(meta);
      } catch (IllegalArgumentException e) {
        throw fail(e.getMessage());
      }
    }
  }
}
