package dev.nnc.diag;

/**
 * Stable diagnostic codes. A code is never renumbered or reused; every code has a line in docs/diagnostics.md
 * (a test checks that). Add new codes at the end of their group.
 */
public enum Code {
  // --- E01xx: reading and parsing -------------------------------------------------------------
  SYNTAX("E0101", "syntax error: the parser expected something else here"),
  LOOK_ALIKE("E0102", "a look-alike character (e.g. ∙ or –) where an operator (· or −) was meant"),
  STRAY_CHARACTER("E0103", "a character that is not part of the language"),
  INVALID_UTF8("E0104", "the file is not valid UTF-8"),
  ADJACENT_NUMBERS("E0105", "a number literal used as a juxtaposed factor after another operand (2 3, x 2)"),
  NESTING_TOO_DEEP("E0106", "an expression nested deeper than the compiler's limit (brackets, applications, signs, powers)"),
  MALFORMED_NUMBER("E0107", "a malformed number literal (1., 2.x, 1.2.3)"),
  LEADING_OPERATOR("E0108", "a line starts with a binary operator; put it at the end of the previous line"),
  EMPTY_FILE("E0109", "the file holds no statement"),
  MIXED_MODELS_AND_STATEMENTS("E0110", "model blocks and bare statements mixed in one file"),
  UNBALANCED_BRACKET("E0111", "an unclosed or unmatched bracket"),
  // --- E02xx: names -----------------------------------------------------------------------------
  UNDEFINED_NAME("E0201", "a name that is neither declared nor assigned"),
  ASSIGNED_TWICE("E0202", "a name assigned more than once"),
  USED_BEFORE_DEFINITION("E0203", "a name used before the statement that assigns it"),
  UNKNOWN_FUNCTION("E0204", "a call of something that is not a built-in function"),
  WRONG_ARGUMENTS("E0205", "wrong number or kind of arguments to a function"),
  CONFUSABLE_NAMES("E0206", "two different spellings that name the same thing after subscript/NFC mapping (w₁ and w1)"),
  NO_ASSIGNMENT("E0207", "a model with no assignment"),
  BAD_LOSS("E0208", "the loss names nothing that is assigned"),
  DECLARED_TWICE("E0209", "a name declared twice, or declared and also assigned"),
  DUPLICATE_MODEL("E0210", "two models with the same name"),
  BAD_OUTPUT("E0211", "an output that names nothing that is assigned"),
  RESERVED_NAME("E0212", "a keyword or built-in used as a name"),
  UNKNOWN_MODIFIER("E0213", "a word after a declared shape that is not a modifier (the one modifier is onehot)"),
  ONEHOT_NOT_INPUT("E0214", "onehot on a param (only inputs hold given distributions)"),
  DERIVATIVE_OF_NON_SCALAR("E0217", "∂E/∂x (grad(E, x)) of an E that is not a scalar"),
  DERIVATIVE_NOT_WRT_VAR("E0218", "∂E/∂x (grad(E, x)) with an x that is not an input or a param"),
  FUNCTION_NAME_TAKEN("E0219", "a model function whose name is taken (a built-in, a dim, input, param, value or another function), or a parameter named twice"),
  FUNCTION_BODY_NAME("E0220", "a name in a model function's body that is not one of its parameters"),
  FUNCTION_ARGUMENTS("E0221", "a call of a model function with the wrong number of arguments, or a named argument"),
  FUNCTION_CALL_FAILS("E0222", "a call of a model function whose body has an error for these arguments"),
  FUNCTION_ORDER("E0223", "a model function that calls itself or a function defined after it"),
  RULE_TARGET("E0224", "a derivative rule ∂f/∂x for no model function f or no parameter x of it, given twice, or missing for a parameter of a function that has rules"),
  RULE_SHAPE("E0225", "a call of a function with derivative rules whose rule does not broadcast to the call's value, or whose argument is neither a scalar nor of the value's shape"),
  STEP_FUTURE("E0226", "a recurrence's step that reads the step being defined or a later one (h[t], h[t+1])"),
  STEP_INDEX("E0227", "a step index a recurrence does not allow (h[1] = …, h[t−2], X[t−1], h[5] outside the recurrence)"),
  RECURRENCE_PAIR("E0228", "a recurrence without its initial state h[0] = … or its step h[t] = …, or with one of them twice"),
  NOT_A_SEQUENCE("E0229", "X[t] for an X that is no sequence over the recurrence's steps, or a recurrence that reads no sequence"),
  RECURRENCE_SECOND_ORDER("E0230", "a ∂E/∂x through a recurrence that the loss or another ∂ depends on (a second derivative through a recurrence)"),
  // --- E03xx: declarations ----------------------------------------------------------------------
  UNKNOWN_INITIALISER("E0301", "an initialiser that does not exist"),
  BAD_DIM("E0302", "a dim fixed to something other than a positive integer"),
  DIM_FIXED_TWICE("E0303", "a dim fixed to two different sizes"),
  BAD_INITIALISER_ARGUMENTS("E0304", "wrong arguments to an initialiser"),
  BAD_SHAPE_ENTRY("E0305", "a shape entry that is neither a dim name nor a positive integer"),
  SHAPE_TOO_LARGE("E0306", "a tensor with more entries than a Java array holds"),
  RECURRENCE_SHAPE("E0307", "a recurrence's step whose value does not have the shape of its initial state h[0]"),
  // --- E04xx: shapes and values -----------------------------------------------------------------
  SHAPE_MISMATCH("E0401", "operand shapes that do not broadcast together"),
  PRODUCT_SHAPE_MISMATCH("E0402", "a linear-algebra product whose inner dimensions differ"),
  AXIS_OUT_OF_RANGE("E0403", "an axis= argument outside the operand's rank"),
  LOSS_NOT_SCALAR("E0404", "the loss is not a scalar"),
  DIVISION_BY_ZERO("E0405", "division by the literal 0"),
  UNSUPPORTED_RANK("E0406", "an operation on a rank this compiler does not support"),
  LAYER_CHANNELS("E0413", "conv2d: the input's channels differ from the kernel's"),
  LAYER_WINDOW_DOES_NOT_FIT("E0414", "conv2d's kernel larger than the padded input, or pooling windows that do not tile it"),
  LAYER_NEEDS_KNOWN_SIZE("E0415", "conv2d, pooling or flatten over an axis whose size is a free dim"),
  // --- W05xx: warnings --------------------------------------------------------------------------
  PARAM_UNUSED("W0501", "a param that does not reach the loss; its gradient is always 0"),
  ZERO_INIT_SYMMETRY("W0502", "a rank ≥ 2 param initialised to zeros feeding a hidden unit: every unit stays identical"),
  STATE_UNUSED("W0503", "a recurrence's step that does not read the previous state h[t−1]: it is a map over the steps, not a recurrence"),
  LOG_OF_NONPOSITIVE("W0504", "log of something that can be 0 or negative"),
  SQRT_OF_NONPOSITIVE("W0505", "√ of something that can be 0 or negative"),
  DIVISOR_MAY_BE_ZERO("W0506", "a division by something that can be 0"),
  EXP_MAY_OVERFLOW("W0507", "exp of something not bounded above (overflows past 709.78)"),
  // --- E09xx: command line and environment ------------------------------------------------------
  CANNOT_READ("E0901", "a file that cannot be read"),
  BAD_VALUE("E0902", "a missing, unknown or malformed NAME=VALUE on the command line, or a bad --dim NAME=SIZE"),
  DATA_DOES_NOT_FIT("E0903", "nnc train: the model's inputs, dims or outputs do not fit the training data"),
  BAD_ANNOTATION("E0904", "an @NnModel with neither or both of value and source, or a file path outside the source folders"),
  CLASS_CLASH("E0905", "nnc compile: two models that would generate the same Java class"),
  CANNOT_WRITE("E0906", "nnc compile, nnc train --save: an output file that cannot be written"),
  BAD_PARAMS_FILE("E0907", "nnc predict: a .npz params file that does not fit the model (names, shapes, dtype)"),
  BAD_PACKAGE("E0908", "nnc compile -p or nnc-maven-plugin: not a Java package name, or a package owned by the JDK (java.*, sun.misc)"),
  BAD_PRECISION("E0915", "a precision other than float64 or float32 (--precision, @NnModel(precision), <precision>)"),
  BAD_CSV("E0916", "nnc predict --csv: a line that is not a row of numbers like the first"),
  BAD_API("E0917", "a public-API level other than full or core (--api, @NnModel(api), <api>)"),
  BAD_REPORT_DIM("E0921", "nnc compile --report --dim: a size that is not NAME=positive integer, a dim no model has free, or a free dim without a size"),
  DIM_WITHOUT_REPORT("E0922", "nnc compile --dim without --report: sizes are only used by the cost report"),
  FILE_TOO_LARGE("E0925", "a .nn file over 16 MiB, refused before it is read"),
  NOT_A_REGULAR_FILE("E0926", "a .nn path that is a directory, a device (/dev/zero), a pipe or a socket"),
  BAD_OUTPUT_DIR("E0927", "nnc compile -d: an output folder that cannot be made (a file in the way, '..' after a missing folder)");

  private final String id;
  private final String summary;

  Code(String id, String summary) {
    this.id = id;
    this.summary = summary;
  }

  public String id() {
    return id;
  }

  public String summary() {
    return summary;
  }
}
