package dev.nnc.cli;

import dev.nnc.codegen.Precision;
import dev.nnc.diag.Code;
import picocli.CommandLine;

/** {@code --precision float64|float32} (also {@code double}, {@code float}): anything else is a usage error. */
final class PrecisionConverter implements CommandLine.ITypeConverter<Precision> {
  @Override
  public Precision convert(String value) {
    Precision p = Precision.parse(value);
    if (p == null) {
      throw new CommandLine.TypeConversionException("[" + Code.BAD_PRECISION.id() + "] '" + value
          + "' is not a precision; use " + Precision.SPELLINGS);
    }
    return p;
  }
}
