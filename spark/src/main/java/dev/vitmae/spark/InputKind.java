package dev.vitmae.spark;

import dev.vitmae.images.Preprocessing;
import java.util.List;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The three input column types a vitmae transformer reads, and how each becomes model pixels. */
enum InputKind {
  /**
   * {@code binary}: an encoded file, e.g. the {@code content} column of Spark's {@code binaryFile}
   * source.
   */
  ENCODED,
  /**
   * {@code struct}: a row of Spark's {@code image} source ({@code origin, height, width, nChannels,
   * mode, data}).
   */
  SPARK_IMAGE,
  /**
   * {@code array<float>} or {@code array<double>}: preprocessed pixels, {@code C×H×W} in [0, 1].
   */
  PIXELS;

  /**
   * The kind of a column of type {@code type}.
   *
   * @throws IllegalArgumentException naming the column for any other type
   */
  static InputKind of(String column, DataType type) {
    if (type.equals(DataTypes.BinaryType)) return ENCODED;
    if (type instanceof StructType struct
        && List.of(struct.fieldNames()).containsAll(List.of(ImageSchema.imageFields()))) {
      return SPARK_IMAGE;
    }
    if (type instanceof ArrayType array
        && (array.elementType().equals(DataTypes.FloatType)
            || array.elementType().equals(DataTypes.DoubleType))) {
      return PIXELS;
    }
    throw new IllegalArgumentException(
        "input column '"
            + column
            + "' has type "
            + type.simpleString()
            + "; expected binary (an encoded image file, Spark's binaryFile source), the struct of"
            + " Spark's image source, or array<float> pixels C×H×W in [0, 1]");
  }

  /** The value of column {@code index} of {@code row} that {@link #pixels} reads. */
  Object value(Row row, int index) {
    if (row.isNullAt(index)) return null;
    return this == PIXELS ? row.getList(index) : row.get(index);
  }

  /**
   * The pixels of one input value, {@code preprocessing.valuesPerImage()} floats.
   *
   * @throws BadRowException when the value is null, undecodable, of the wrong length or out of
   *     range
   */
  float[] pixels(Object value, Preprocessing preprocessing) {
    if (value == null) throw new BadRowException("no image (null " + this + " value)");
    return switch (this) {
      case ENCODED -> ImagePixels.decoded((byte[]) value, preprocessing);
      case SPARK_IMAGE ->
          ImagePixels.preprocessed(ImagePixels.fromSparkImage((Row) value), preprocessing);
      case PIXELS -> checked(floats(value), preprocessing.valuesPerImage());
    };
  }

  private static float[] floats(Object value) {
    if (value instanceof List<?> list) {
      float[] out = new float[list.size()];
      for (int i = 0; i < out.length; i++) {
        Object v = list.get(i);
        if (v == null) throw new BadRowException("pixel " + i + " is null");
        out[i] = ((Number) v).floatValue();
      }
      return out;
    }
    if (value instanceof float[] f) return f;
    throw new IllegalStateException("unexpected pixel value " + value.getClass().getName());
  }

  private static float[] checked(float[] pixels, int expected) {
    if (pixels.length != expected) {
      throw new BadRowException(
          pixels.length + " pixels, the model takes " + expected + " (C×H×W)");
    }
    for (int i = 0; i < pixels.length; i++) {
      float v = pixels[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new BadRowException("pixel " + i + " = " + v + " is outside [0, 1]");
      }
    }
    return pixels;
  }
}
