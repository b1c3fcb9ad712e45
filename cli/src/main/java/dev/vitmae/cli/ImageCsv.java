package dev.vitmae.cli;

import dev.vitmae.datasets.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Per-image CSV files: {@code index[,label],<columns>}, one row per image, written atomically. */
final class ImageCsv {
  private ImageCsv() {}

  /** Appends the cells after index and label of one image, each preceded by a comma. */
  @FunctionalInterface
  interface Cells {
    void append(int image, StringBuilder row);
  }

  /** Writes the file; the label column is there only when the images' labels are known. */
  static void write(Path file, InputImages images, List<String> columns, Cells cells)
      throws IOException {
    write(file, images, columns, cells, i -> true);
  }

  /** Writes the rows of the images {@code keep} accepts (their index stays the input's). */
  static void write(
      Path file,
      InputImages images,
      List<String> columns,
      Cells cells,
      java.util.function.IntPredicate keep)
      throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
          boolean files = images.files() != null;
          w.write(
              "index"
                  + (files ? ",file" : "")
                  + (images.labelled() ? ",label" : "")
                  + ","
                  + String.join(",", columns)
                  + "\n");
          StringBuilder row = new StringBuilder();
          for (int i = 0; i < images.count(); i++) {
            if (!keep.test(i)) continue;
            row.setLength(0);
            row.append(i);
            if (files) {
              row.append(',').append(csvField(images.files().get(i).toString()));
            }
            if (images.labelled()) {
              row.append(',').append(images.labels()[i]);
            }
            cells.append(i, row);
            w.write(row.append('\n').toString());
          }
          w.flush();
        });
  }

  /** A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
  static String csvField(String s) {
    return s.matches("[^,\"\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** {@code prefix0, prefix1, ... prefix(n-1)}. */
  static List<String> numbered(String prefix, int n) {
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(prefix + i);
    }
    return names;
  }

  /**
   * Appends {@code values[from .. from+n)}, each after a comma, in Java's shortest round-trip form.
   */
  static void floats(StringBuilder row, float[] values, int from, int n) {
    for (int k = from; k < from + n; k++) {
      row.append(',').append(values[k]);
    }
  }
}
