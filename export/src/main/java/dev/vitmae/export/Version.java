package dev.vitmae.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The vitmae release stamped into every exported model (the I/O contract's version is {@link
 * dev.vitmae.contract.ModelContract#VERSION}).
 */
public final class Version {
  private Version() {}

  /** The vitmae release, from the build ({@code version.properties}, filtered by Maven). */
  public static final String VITMAE = read();

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) throw new IllegalStateException("version.properties is missing from the jar");
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
