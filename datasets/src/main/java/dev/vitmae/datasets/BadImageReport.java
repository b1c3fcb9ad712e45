package dev.vitmae.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The images a source skipped because they could not be decoded: {@code checked} files were read,
 * {@code bad} of them (file and reason) are excluded.
 */
public record BadImageReport(int checked, List<BadImage> bad) {
  /** One skipped file and why. */
  public record BadImage(Path file, String reason) {
    public BadImage {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return file + ": " + reason;
    }
  }

  public BadImageReport {
    bad = List.copyOf(bad);
    if (checked < bad.size()) {
      throw new IllegalArgumentException(bad.size() + " bad images among " + checked + " checked");
    }
  }

  /** Nothing checked, nothing skipped. */
  public static BadImageReport none() {
    return new BadImageReport(0, List.of());
  }

  /** Number of skipped files. */
  public int count() {
    return bad.size();
  }

  /** This report and {@code other} together. */
  public BadImageReport plus(BadImageReport other) {
    var all = new java.util.ArrayList<>(bad);
    all.addAll(other.bad);
    return new BadImageReport(checked + other.checked, all);
  }

  /** {@code "2 of 120 images skipped:"} then one {@code file: reason} line per skipped file. */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder()
            .append(count())
            .append(" of ")
            .append(checked)
            .append(" images skipped")
            .append(count() == 0 ? "" : ":");
    for (BadImage b : bad) s.append("\n  ").append(b);
    return s.toString();
  }
}
