package dev.vitmae.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The command-line options of the tiny models the CLI tests train, written once (the models of
 * {@code dev.vitmae.graph.Tiny}): small enough that a run takes seconds, every part present.
 */
final class TinyArgs {
  private TinyArgs() {}

  /** The encoder: dim 16, 2 heads of 8, MLP 32 (depth and patches as the reference). */
  static final List<String> ENCODER =
      List.of("--dim", "16", "--heads", "2", "--dim-head", "8", "--mlp-dim", "32");

  /** The MAE decoder: dim 16, 2 heads of 8, MLP 32. */
  static final List<String> DECODER =
      List.of(
          "--decoder-dim",
          "16",
          "--decoder-heads",
          "2",
          "--decoder-dim-head",
          "8",
          "--decoder-mlp-dim",
          "32");

  /** The I-JEPA predictor: dim 16, depth 1, 2 heads of 8, MLP 32. */
  static final List<String> PREDICTOR =
      List.of(
          "--predictor-dim",
          "16",
          "--predictor-depth",
          "1",
          "--predictor-heads",
          "2",
          "--predictor-dim-head",
          "8",
          "--predictor-mlp-dim",
          "32");

  /** One argument list from strings and lists of strings, in order. */
  static String[] args(Object... parts) {
    List<String> all = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Collection<?> many) {
        for (Object one : many) all.add((String) one);
      } else {
        all.add((String) part);
      }
    }
    return all.toArray(String[]::new);
  }
}
