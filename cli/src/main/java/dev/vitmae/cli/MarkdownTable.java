package dev.vitmae.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table with padded columns; cells are plain text ({@code |} is
 * escaped).
 */
final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; throws {@link IllegalArgumentException} unless it has one cell per column. */
  MarkdownTable row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
    }
    rows.add(List.of(cells).stream().map(c -> c.replace("|", "\\|")).toList());
    return this;
  }

  @Override
  public String toString() {
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = Math.max(3, header.get(c).length());
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder md = new StringBuilder();
    line(md, header, width);
    md.append('|');
    for (int w : width) {
      md.append(' ').append("-".repeat(w)).append(" |");
    }
    md.append('\n');
    rows.forEach(row -> line(md, row, width));
    return md.toString();
  }

  private static void line(StringBuilder md, List<String> cells, int[] width) {
    md.append('|');
    for (int c = 0; c < width.length; c++) {
      md.append(' ')
          .append(cells.get(c))
          .append(" ".repeat(width[c] - cells.get(c).length()))
          .append(" |");
    }
    md.append('\n');
  }
}
