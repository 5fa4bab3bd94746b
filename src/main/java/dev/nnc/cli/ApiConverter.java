package dev.nnc.cli;

import dev.nnc.codegen.Api;
import dev.nnc.diag.Code;
import picocli.CommandLine;

/** {@code --api full|core}: anything else is a usage error (E0917). */
final class ApiConverter implements CommandLine.ITypeConverter<Api> {
  @Override
  public Api convert(String value) {
    Api a = Api.parse(value);
    if (a == null) {
      throw new CommandLine.TypeConversionException("[" + Code.BAD_API.id() + "] '" + value
          + "' is not an API level; use full or core");
    }
    return a;
  }
}
