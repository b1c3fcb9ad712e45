package dev.vitmae.spark;

import java.util.Base64;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** A {@code byte[]} param, saved with a pipeline as a base64 JSON string. */
final class BytesParam extends Param<byte[]> {

  BytesParam(Params parent, String name, String doc) {
    super(parent, name, doc);
  }

  @Override
  public String jsonEncode(byte[] value) {
    return "\"" + Base64.getEncoder().encodeToString(value) + "\"";
  }

  @Override
  public byte[] jsonDecode(String json) {
    String s = json.strip();
    if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
      throw new IllegalArgumentException(name() + ": expected a base64 JSON string, got " + s);
    }
    return Base64.getDecoder().decode(s.substring(1, s.length() - 1));
  }
}
