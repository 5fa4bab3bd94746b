package dev.nnc.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Tangents;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The one generator that stamps every generated file: one public final class per model, with the contract of
 * LANGUAGE.md §8 (free dims, params and gradients, kept forward values, {@code initialize}, {@code forward},
 * {@code backward}, {@code step}). What is computed where is decided by {@link Plan}; the statements are written by
 * {@link Bodies}; this class lays out the fields and methods. Output is deterministic: no timestamps, no hash order.
 */
public final class JavaGenerator {
  /** The annotation's {@code value}: who generated the file. */
  public static final String GENERATOR = "dev.nnc";

  /** Model lines quoted in Javadoc before "… n more" (a 5,000-statement model need not be listed twice). */
  private static final int LISTING_LINES = 60;
  /** The largest array length every JVM allocates (as the checker's E0306 limit). */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** Statements per constructor, initialize or step before the rest moves to private parts. */
  private static final int SPLIT_GROUPS = 300;
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName RANDOM = ClassName.get("java.util", "SplittableRandom");

  private JavaGenerator() {}

  public static GeneratedFile generate(DiffModel model, String packageName) {
    return generate(model, packageName, Precision.FLOAT64);
  }

  /** The class over {@code double} ({@link Precision#FLOAT64}) or {@code float} ({@link Precision#FLOAT32}). */
  public static GeneratedFile generate(DiffModel model, String packageName, Precision precision) {
    return generate(model, packageName, precision, Api.FULL);
  }

  /** As {@link #generate(DiffModel, String, Precision)}, with the full public API or the core one ({@link Api}). */
  public static GeneratedFile generate(DiffModel model, String packageName, Precision precision, Api api) {
    return new JavaGenerator.Writer(model, precision, api, false, null, true)
        .write(packageName == null ? "" : packageName);
  }

  /**
   * The class as it was before the memory plan: every array input copied into a buffer of its own, no temporaries
   * sharing a buffer. Only for {@code MemoryPlanTest}, which measures what the plan saves on the same model.
   */
  static GeneratedFile generateWithoutMemoryPlan(DiffModel model, String packageName, Precision precision, Api api) {
    return new JavaGenerator.Writer(model, precision, api, false, null, false)
        .write(packageName == null ? "" : packageName);
  }

  /**
   * The class with every statement written out and every temporary a field, even in a long class ({@link Outlines},
   * {@link PartLocals}). Only for {@code OutlinesTest}, which checks that the long class computes the same bits.
   */
  static GeneratedFile generateWithoutOutlines(DiffModel model, String packageName, Precision precision, Api api) {
    return generateWithoutOutlines(model, packageName, precision, api, false);
  }

  /** As {@link #generateWithoutOutlines(DiffModel, String, Precision, Api)}, a long class's part locals kept or not. */
  static GeneratedFile generateWithoutOutlines(DiffModel model, String packageName, Precision precision, Api api,
      boolean partLocals) {
    Writer w = new JavaGenerator.Writer(model, precision, api, false, null, true, 0, partLocals);
    return w.write(packageName == null ? "" : packageName);
  }

  /**
   * The class of a long model with each statement shape outlined from {@code minUses} occurrences ({@link Outlines}).
   * Only for {@code OutlinesTest}: with none outlined, every statement is still written through its shape.
   */
  static GeneratedFile generateOutlinedFrom(int minUses, DiffModel model, Precision precision) {
    return new JavaGenerator.Writer(model, precision, Api.FULL, false, null, true, minUses, true).write("");
  }

  /** The arrays the class of {@link #generate(DiffModel, String, Precision, Api)} allocates (see {@link MemoryPlan}). */
  public static MemoryPlan memoryPlan(DiffModel model, Precision precision, Api api) {
    return new MemoryPlan(new JavaGenerator.Writer(model, precision, api, false, null, true).buffers(null), precision);
  }

  /**
   * The same file as {@link #generate(DiffModel, String, Precision, Api)} (byte for byte), with the model name
   * each line of {@code forward} and {@code backward} belongs to ({@link Bodies.Stmt#owner()}): what an explainer
   * needs to show a statement's Java. Each statement's lines carry a private-use marker through JavaPoet's layout,
   * removed afterwards, so line numbers are the final file's whatever JavaPoet's indentation.
   */
  public static LineOwners generateWithOwners(DiffModel model, String packageName, Precision precision, Api api) {
    Writer w = new JavaGenerator.Writer(model, precision, api, true, null, true);
    GeneratedFile marked = w.write(packageName == null ? "" : packageName);
    return LineOwners.unmark(marked, w.owners);
  }

  /** A recurrence's step class, nested in its model's class: the type, and its constructor's dims in order. */
  record Nested(TypeSpec type, List<String> constructorDims, List<MemoryPlan.Buffer> buffers) {}

  /**
   * The class of a recurrence's step model ({@link RecurrenceCode}) as a private static nested class named
   * {@code className}, with the core API (forward, backward), in the model's precision.
   */
  static Nested nested(DiffModel step, Precision precision, String className) {
    Writer w = new Writer(step, precision, Api.CORE, false, className, true);
    List<String> dims = new ArrayList<>();
    for (ModelIR.DimInfo d : w.p.dims) if (d.isFree()) dims.add(d.name());
    return new Nested(w.type(true).build(), dims, w.buffers(className));
  }

  private static final class Writer {
    private final Plan p;
    private final Bodies bodies;
    private final ModelIR m;
    private final List<Bodies.Stmt> forward;
    private final List<Bodies.Stmt> backward;
    /** The statements of jvp (forward mode), or null when the class has none ({@link Api#CORE}, no params). */
    private final List<Bodies.Stmt> jvp;
    /** The methods of a long class's repeated statement shapes ({@link Outlines}); none in a short class. */
    private final List<MethodSpec> outlined;
    private final String i;
    /** The inputs' holder for models with too many scalar inputs for one parameter each. */
    private final WideInputs wide;
    /** Private parts of the constructor, initialize and step when a model has too many buffers or params. */
    private final List<MethodSpec> extraParts = new ArrayList<>();
    /** Array fields are final unless there are so many that their allocation must be split out of the constructor. */
    private boolean finalArrays = true;
    /** Where the parts of a long forward and backward go (see {@link PartGroups}). */
    private final PartGroups.Placement forwardParts;
    private final PartGroups.Placement backwardParts;
    private final PartGroups.Placement jvpParts;
    /** The method that creates the part classes' instances, called once by the constructor; null when there are none. */
    private final String createParts;
    private final List<String> partCreations = new ArrayList<>();
    /**
     * A long class with its parts' own temporaries as their locals ({@link PartLocals}) and its bulk fields compact
     * ({@link CompactFields}); false for a short class and where a test asks for every temporary a field.
     */
    private final boolean longShape;

    private final Precision real;
    /** Whether the class gets the flat views, optimisers and .npz methods (a model with params, and Api.FULL). */
    private final boolean trainingApi;

    /**
     * The members and method bodies written apart and spliced into the file ({@link Splices}) by {@link #write}; null
     * for a recurrence's step class (a type nested in another file's class, written with it).
     */
    private final Splices splices;

    /** With marking on: the owners the markers index ({@link LineOwners}). */
    private final List<LineOwners.Owner> owners = new ArrayList<>();

    /** @param memoryPlan inputs by reference and temporaries sharing buffers ({@link BufferReuse}); false only in a test */
    Writer(DiffModel dm, Precision precision, Api api, boolean mark, String nestedName, boolean memoryPlan) {
      this(dm, precision, api, mark, nestedName, memoryPlan, Outlines.MIN_USES, true);
    }

    /**
     * @param outlineFrom a long class's shapes occurring this often become methods ({@link Outlines}); 0: none, and
     *     the statements written directly (only in a test, as any other value than {@link Outlines#MIN_USES})
     * @param partLocals a long class's temporaries read only within one part are locals of it ({@link PartLocals}),
     *     and its bulk fields compact ({@link CompactFields}); false (every temporary a field, each field as JavaPoet
     *     writes it) only in a test
     */
    Writer(DiffModel dm, Precision precision, Api api, boolean mark, String nestedName, boolean memoryPlan,
        int outlineFrom, boolean partLocals) {
      trainingApi = api == Api.FULL && !dm.model().params().isEmpty();
      splices = nestedName == null ? new Splices() : null;
      // The tangents are new nodes of the model's graph: made before the plan, which sizes its tables by the graph.
      // Backward's chain-rule comments start on the other cores as soon as the plan knows the adjoints' homes, and
      // render while the plan goes on and the statements are written (ChainRuleComments).
      ChainRuleComments[] comments = new ChainRuleComments[1];
      p = new Plan(dm, precision, trainingApi ? Tangents.ofOrNull(dm) : null, nestedName,
          memoryPlan && nestedName == null, plan -> comments[0] = new ChainRuleComments(plan).start());
      real = precision;
      m = dm.model();
      bodies = new Bodies(p, comments[0]);
      if (memoryPlan) BufferReuse.share(p, java.util.Map.of(Plan.Pass.FORWARD, p.statements(Plan.Pass.FORWARD),
          Plan.Pass.BACKWARD, bodies.backwardOrder(), Plan.Pass.JVP, p.statements(Plan.Pass.JVP)));
      bodies.outlines = outlineFrom > 0 ? Outlines.of(p, outlineFrom) : null;
      // a long class: the temporaries read only within their part are its locals, its bulk fields compact
      longShape = partLocals && Outlines.isLong(p);
      if (longShape) PartLocals.mark(p, java.util.Map.of(Plan.Pass.FORWARD,
          p.statements(Plan.Pass.FORWARD), Plan.Pass.BACKWARD, bodies.backwardOrder(), Plan.Pass.JVP,
          p.statements(Plan.Pass.JVP)));
      List<Bodies.Stmt> forwardStmts = bodies.forward();
      List<Bodies.Stmt> backwardStmts = bodies.backward();
      jvp = p.tangents == null ? null : bodies.jvp();
      outlined = bodies.outlines == null ? List.of() : bodies.outlines.apply(); // before marking copies the lines
      // Backward's comments are still rendering on the other cores: where its lines are read as text before the file
      // is spliced (marked, in a nested class, or in backward itself), they are put in their places now, else there.
      if (mark || splices == null || !p.splitBackward) bodies.finishBackward();
      forward = mark ? mark(forwardStmts, true) : forwardStmts;
      backward = mark ? mark(backwardStmts, false) : backwardStmts;
      i = bodies.loopVar(0);
      wide = new WideInputs(p);
      finalArrays = arrays().size() + 1 <= SPLIT_GROUPS;
      forwardParts = PartGroups.place(parts("forwardPart", forward), "Forward", "{@link #forward}", p.names);
      backwardParts = PartGroups.place(parts("backwardPart", backward), "Backward", "{@link #backward()}", p.names);
      jvpParts = jvp == null ? null : PartGroups.place(parts("jvpPart", jvp), "Jvp", "{@link #jvp()}", p.names);
      boolean inner = !forwardParts.fields().isEmpty() || !backwardParts.fields().isEmpty()
          || (jvpParts != null && !jvpParts.fields().isEmpty()); // predict has inner classes only if forward has
      createParts = inner ? p.names.fresh("createParts") : null;
    }

    private List<Bodies.Stmt> mark(List<Bodies.Stmt> stmts, boolean inForward) {
      List<Bodies.Stmt> out = new ArrayList<>();
      for (Bodies.Stmt s : stmts) {
        if (s.owner() == null) {
          out.add(s);
          continue;
        }
        String marker = LineOwners.marker(owners.size());
        owners.add(new LineOwners.Owner(s.owner(), inForward));
        List<String> lines = new ArrayList<>();
        for (String line : s.lines()) lines.add(marker + line);
        out.add(new Bodies.Stmt(lines, s.owner()));
      }
      return out;
    }

    /**
     * The outputs' and the loss's tangents for jvp, or null where forward mode has no rule for a node of the model
     * ({@link dev.nnc.diff.ForwardMode} says so with an UnsupportedOperationException): the class then has no jvp.
     */
    /**
     * Statements (each a group of lines) as they are, or, past {@link #SPLIT_GROUPS} of them, calls to private parts
     * that hold them (the JVM refuses methods over 64 KB of bytecode).
     */
    private List<String> maybeSplit(String partName, List<List<String>> groups, List<ParameterSpec> params,
        String args, String doc) {
      List<String> code = new ArrayList<>();
      if (groups.size() <= SPLIT_GROUPS) {
        for (List<String> g : groups) code.addAll(g);
        return code;
      }
      for (int from = 0, k = 1; from < groups.size(); from += SPLIT_GROUPS, k++) {
        List<String> body = new ArrayList<>();
        for (List<String> g : groups.subList(from, Math.min(groups.size(), from + SPLIT_GROUPS))) body.addAll(g);
        extraParts.add(MethodSpec.methodBuilder(partName + k).addModifiers(Modifier.PRIVATE).addParameters(params)
            .addJavadoc("$L", "Part " + k + " of " + doc + ".\n").addCode(code(lines(body))).build());
        code.add(partName + k + "(" + args + ");");
      }
      return code;
    }

    GeneratedFile write(String packageName) {
      JavaFile file = JavaFile.builder(packageName, type(false).build())
          .skipJavaLangImports(true)
          .addFileComment("$L", JavaText.lineComment("Generated by nnc from " + p.file
              + ". Do not edit: change the .nn file and run nnc compile again."))
          .build();
      String text = file.toString();
      bodies.finishBackward(); // backward's comments in their places, before their parts are spliced
      return new GeneratedFile(packageName, p.className, splices.apply(text));
    }

    /** The class: public and annotated, or (nested) a private static class of a model's class. */
    TypeSpec.Builder type(boolean nested) {
      TypeSpec.Builder type = TypeSpec.classBuilder(p.className);
      if (nested) {
        type.addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("$L", doc("One step of the recurrence " + p.model.outputs().get(0) + " ("
                + p.file + "): its forward computes the new state from the previous one, its backward the step's share"
                + " of backpropagation through time for the adjoint given to forward."));
      } else {
        type.addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addAnnotation(AnnotationSpec.builder(GENERATED)
                .addMember("value", "$S", GENERATOR)
                .addMember("comments", "$L", JavaText.string("from " + p.file)) // JavaText: no line breaks
                .build())
            .addJavadoc("$L", classDoc());
      }
      fields(type);
      Optimizers optimizers = Optimizers.of(p);
      if (trainingApi) for (FieldSpec f : optimizers.fields()) type.addField(f);
      type.addMethod(constructor());
      // A recurrence's step class is driven by its model's loops, which copy the params in and the gradients out:
      // initialize, predict and step would be dead code in the file a learner reads.
      if (!nested) type.addMethod(initialize());
      type.addMethod(forwardMethod());
      if (wide.type != null) type.addType(wide.holderType());
      add(type, forwardParts);
      if (!nested) add(type, Predict.methods(p, bodies, forward, wide));
      type.addMethod(backwardMethod());
      add(type, backwardParts);
      if (!nested) type.addMethod(step());
      if (jvp != null) {
        type.addMethod(jvpMethod());
        add(type, jvpParts);
      }
      if (trainingApi) { // Api.CORE leaves them out; without params there is nothing to view, optimise, save or load
        for (MethodSpec flat : FlatParams.methods(p)) type.addMethod(flat);
        for (MethodSpec opt : optimizers.methods()) type.addMethod(opt);
        for (MethodSpec npz : NpzCode.methods(p)) type.addMethod(npz);
      }
      for (MethodSpec part : extraParts) type.addMethod(part);
      if (createParts != null) {
        type.addMethod(MethodSpec.methodBuilder(createParts).addModifiers(Modifier.PRIVATE)
            .addJavadoc("$L", "Creates the instances of the classes that hold the parts, once, for the constructor (see"
                + " the parts' classes).\n")
            .addCode("$L", lines(partCreations)).build());
      }
      for (MethodSpec h : Helpers.methods(bodies.helpers, needsGaussian())) type.addMethod(h);
      for (MethodSpec h : outlined) type.addMethod(h);
      for (MethodSpec h : Helpers.layerMethods(bodies.layerMethods, real)) type.addMethod(h);
      for (MatmulKernels.Kernel k : bodies.kernels) type.addMethod(MatmulKernels.method(k, real));
      if (bodies.kernelRows != null) {
        for (MethodSpec m : MatmulKernels.support(kernelNames(), real)) type.addMethod(m);
        type.addType(MatmulKernels.taskType(bodies.kernelTaskType, real));
        if (!bodies.gatheredInputs.isEmpty()) for (MethodSpec m : MatmulKernels.gatheredSupport(real)) type.addMethod(m);
      }
      for (RecurrenceCode.StepClass s : bodies.recurrences.classes()) type.addType(s.nested().type());
      return type;
    }

    // ---- fields ----------------------------------------------------------------------------------

    private void fields(TypeSpec.Builder type) {
      for (ModelIR.DimInfo d : p.dims) {
        String name = p.dimJava.get(d.name());
        if (d.isFree()) {
          type.addField(FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.FINAL)
              .addJavadoc("$L", doc(p.batchDims.containsKey(d.name())
                  ? "Batch dim " + d.name() + ": its capacity, fixed at construction; forward and predict take 1 up "
                      + "to this many rows."
                  : "Free dim " + d.name() + ", fixed at construction.")).build());
        } else {
          type.addField(FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
              .initializer("$L", d.size())
              .addJavadoc("$L", doc("Dim " + d.name() + " = " + d.size() + ".")).build());
        }
      }
      for (BatchDims.Batch b : p.batchDims.values()) {
        type.addField(FieldSpec.builder(int.class, b.rows(), Modifier.PRIVATE)
            .addJavadoc("$L", doc("The rows of batch dim " + b.dim() + " in the last forward or predict (at most its "
                + "capacity " + p.dimJava.get(b.dim()) + ")."))
            .build());
      }
      // The fields of params, values, adjoints, tangents and temporaries: tens of thousands in a long model, each with
      // its comment, so they are made on the machine's cores (Parallel), in this order.
      List<java.util.function.Supplier<Splices.Field>> bulk = new ArrayList<>();
      for (ModelIR.Leaf l : m.params()) {
        bulk.add(() -> field(p.javaName(l.name()), l.var().shape(), true,
            "Param " + l.spelling() + shapeText(l.var().shape()) + " ~ " + initText(l) + "   (" + where(l.span())
                + "); updated by step."));
      }
      for (ModelIR.Leaf l : m.params()) {
        bulk.add(() -> field(p.gradName(l.name()), l.var().shape(), true,
            bodies.adjointSymbol(l.name()) + ", filled by backward()."));
      }
      for (ModelIR.Leaf l : m.inputs()) {
        Shape s = l.var().shape();
        String what = "Input " + l.spelling() + shapeText(s) + "   (" + where(l.span()) + "): ";
        if (s.isScalar() || !p.inputsByReference) {
          bulk.add(() -> field(p.javaName(l.name()), s, true, what + "a copy of the last forward argument."));
        } else {
          // Kept by reference, as hand-written code keeps its batch: never allocated, so never final.
          bulk.add(() -> new Splices.Field(real.array(), p.javaName(l.name()), doc(what + "the caller's array of the last "
              + "forward or predict, kept by reference (not copied; null before the first): do not change its elements "
              + "before backward()" + (p.tangents != null ? " or jvp()." : ".")), Set.of(Modifier.PUBLIC)));
        }
      }
      for (ModelIR.Value v : m.values()) {
        String role = v.name().equals(m.loss()) ? " (the loss)" : m.outputs().contains(v.name()) ? " (an output)" : "";
        bulk.add(() -> field(p.javaName(v.name()), v.node().shape(), true,
            v.spelling() + " = " + v.sourceText() + "   (" + where(v.span()) + ")" + role + ", set by forward()."));
      }
      for (Adjoint a : p.dm.adjoints()) {
        if (a.kind() != Adjoint.Kind.VALUE || a.value() == null || p.homeAdjoint[a.value().id()] != a) continue;
        bulk.add(() -> field(p.gradName(a.name()), a.value().shape(), true,
            bodies.adjointSymbol(a.name()) + ", set by backward()."));
      }
      if (p.tangents != null) {
        for (Tangents.Direction d : directions()) {
          ModelIR.Leaf l = d.leaf();
          bulk.add(() -> field(p.tangentName(l.name()), l.var().shape(), true, "The direction of "
              + (m.params().contains(l) ? "param " : "input ") + l.spelling() + " for jvp() (zero until set)."));
        }
        for (Tangents.Root r : p.tangents.roots()) {
          ModelIR.Value v = r.value();
          bulk.add(() -> field(p.tangentName(v.name()), v.node().shape(), true, "The change of "
              + (v.name().equals(m.loss()) ? "the loss " : "output ") + v.spelling() + " along the direction, set by "
              + "jvp()."));
        }
      }
      List<Expr> nodes = m.graph().nodes();
      Set<String> declared = new HashSet<>(); // temporaries that share a buffer (BufferReuse) share its field
      for (int id = 0; id < p.size; id++) {
        if (!p.needed[id] || !p.slot[id] || p.local[id] || p.isHome(id) || nodes.get(id) instanceof Expr.Var) continue;
        int node = id;
        if (declared.add(p.slotName[id])) bulk.add(() -> field(p.slotName[node], nodes.get(node).shape(), false, null));
      }
      for (int id = 0; id < p.size; id++) {
        int node = id;
        if (p.jvpSlotName[id] != null && declared.add(p.jvpSlotName[id])) {
          bulk.add(() -> field(p.jvpSlotName[node], nodes.get(node).shape(), false, null));
        }
      }
      for (Bodies.Scratch s : bodies.scratch) bulk.add(() -> field(s.name(), s.shape(), false, null));
      List<Splices.Field> made = Parallel.map(bulk, java.util.function.Supplier::get);
      if (splices == null) {
        for (Splices.Field f : made) type.addField(f.spec());
      } else {
        for (FieldSpec f : splices.fields(made, longShape)) type.addField(f); // compact in a long class
      }
      for (RecurrenceCode.StepClass s : bodies.recurrences.classes()) {
        type.addField(FieldSpec.builder(ClassName.get("", s.className()), s.field(), Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("$L", doc("The step of recurrence " + s.rec().spelling() + " (" + where(s.rec().span())
                + "), run once per step by forward and backward.")).build());
      }
      if (bodies.kernelRows != null) {
        type.addField(finalArrays
            ? FieldSpec.builder(real.rows(), bodies.kernelRows, Modifier.PRIVATE, Modifier.FINAL).build()
            : FieldSpec.builder(real.rows(), bodies.kernelRows, Modifier.PRIVATE).build());
        type.addField(finalArrays
            ? FieldSpec.builder(real.rows(), bodies.kernelAccumulators, Modifier.PRIVATE, Modifier.FINAL).build()
            : FieldSpec.builder(real.rows(), bodies.kernelAccumulators, Modifier.PRIVATE).build());
        TypeName tasks = ArrayTypeName.of(ClassName.get("", bodies.kernelTaskType));
        type.addField(finalArrays
            ? FieldSpec.builder(tasks, bodies.kernelTask, Modifier.PRIVATE, Modifier.FINAL).build()
            : FieldSpec.builder(tasks, bodies.kernelTask, Modifier.PRIVATE).build());
        for (Bodies.GatheredInput g : bodies.gatheredInputs.values()) {
          Modifier[] mods = finalArrays ? new Modifier[] {Modifier.PRIVATE, Modifier.FINAL}
              : new Modifier[] {Modifier.PRIVATE};
          type.addField(FieldSpec.builder(real.rows(), g.form(), mods)
              .addJavadoc("$L", doc("The nonzeros of input " + g.input() + " as forward's product gathered them, by "
                  + "rows and by columns, for backward's product of its transpose; and the array they are of.")).build());
          type.addField(FieldSpec.builder(int[][].class, g.index(), mods)
              .addJavadoc("$L", doc("Where the rows and columns of " + g.form() + " start, and its state.")).build());
        }
      }
    }

    /** The directions' fields in the order the class lists them: params first (what jvp is mostly for), then inputs. */
    private List<Tangents.Direction> directions() {
      List<Tangents.Direction> out = new ArrayList<>();
      for (Tangents.Direction d : p.tangents.directions()) if (m.params().contains(d.leaf())) out.add(d);
      for (Tangents.Direction d : p.tangents.directions()) if (!m.params().contains(d.leaf())) out.add(d);
      return out;
    }

    private Splices.Field field(String name, Shape shape, boolean isPublic, String doc) {
      Modifier access = isPublic ? Modifier.PUBLIC : Modifier.PRIVATE;
      return new Splices.Field(shape.isScalar() ? real.type() : real.array(), name, doc == null ? null : doc(doc),
          shape.isScalar() || !finalArrays ? Set.of(access) : Set.of(access, Modifier.FINAL));
    }

    /** An array the constructor allocates ({@code field} null: an input kept by reference, only size-checked). */
    private record Array(String field, Shape shape, MemoryPlan.Kind kind, String size, String check) {}

    /**
     * Every array field, in field order, for the constructor (each once: shared temporaries are one field). Made once,
     * when the statements are written (what they allocate is known): tens of thousands of names in a long model.
     */
    private List<Array> arrays() {
      if (arrays == null) arrays = List.copyOf(findArrays());
      return arrays;
    }

    private List<Array> arrays;

    private List<Array> findArrays() {
      List<Array> out = new ArrayList<>();
      for (ModelIR.Leaf l : m.params()) addArray(out, p.javaName(l.name()), l.var().shape(), MemoryPlan.Kind.PARAM);
      for (ModelIR.Leaf l : m.params()) addArray(out, p.gradName(l.name()), l.var().shape(), MemoryPlan.Kind.GRADIENT);
      // An input kept by reference is not allocated (a null name), but its size is still checked: forward compares
      // lengths with the capacity's product, which must not wrap.
      for (ModelIR.Leaf l : m.inputs()) {
        addArray(out, p.inputsByReference ? null : p.javaName(l.name()), l.var().shape(), MemoryPlan.Kind.INPUT);
      }
      for (ModelIR.Value v : m.values()) addArray(out, p.javaName(v.name()), v.node().shape(), MemoryPlan.Kind.VALUE);
      for (Adjoint a : p.dm.adjoints()) {
        if (a.kind() == Adjoint.Kind.VALUE && a.value() != null && p.homeAdjoint[a.value().id()] == a) {
          addArray(out, p.gradName(a.name()), a.value().shape(), MemoryPlan.Kind.ADJOINT);
        }
      }
      if (p.tangents != null) {
        for (Tangents.Direction d : directions()) {
          addArray(out, p.tangentName(d.leaf().name()), d.leaf().var().shape(), MemoryPlan.Kind.DIRECTION);
        }
        for (Tangents.Root r : p.tangents.roots()) {
          addArray(out, p.tangentName(r.value().name()), r.value().node().shape(), MemoryPlan.Kind.TANGENT);
        }
      }
      List<Expr> nodes = m.graph().nodes();
      Set<String> declared = new HashSet<>();
      for (int id = 0; id < p.size; id++) {
        if (!p.needed[id] || !p.slot[id] || p.local[id] || p.isHome(id) || nodes.get(id) instanceof Expr.Var) continue;
        if (declared.add(p.slotName[id])) addArray(out, p.slotName[id], nodes.get(id).shape(), MemoryPlan.Kind.TEMPORARY);
      }
      for (int id = 0; id < p.size; id++) {
        if (p.jvpSlotName[id] != null && declared.add(p.jvpSlotName[id])) {
          addArray(out, p.jvpSlotName[id], nodes.get(id).shape(), MemoryPlan.Kind.TEMPORARY);
        }
      }
      for (Bodies.Scratch s : bodies.scratch) addArray(out, s.name(), s.shape(), MemoryPlan.Kind.SCRATCH);
      return out;
    }

    /** The buffers of this class and of its recurrences' step classes, for {@link MemoryPlan}. */
    List<MemoryPlan.Buffer> buffers(String owner) {
      List<MemoryPlan.Buffer> out = new ArrayList<>();
      for (Array a : arrays()) if (a.field() != null) out.add(new MemoryPlan.Buffer(a.field(), a.shape(), a.kind(), owner));
      for (RecurrenceCode.StepClass s : bodies.recurrences.classes()) out.addAll(s.nested().buffers());
      return out;
    }

    /** A buffer is allocated for the capacity of its batch dims (the constructor's arguments). */
    private void addArray(List<Array> out, String name, Shape shape, MemoryPlan.Kind kind) {
      if (shape.isScalar()) return;
      List<String> parts = new ArrayList<>();
      for (dev.nnc.ir.Dim d : shape.dims()) {
        parts.add(d.name() != null && p.batchDims.containsKey(d.name()) ? p.dimJava.get(d.name()) : p.dim(d));
      }
      String size = String.join(" * ", parts);
      out.add(new Array(name, shape, kind, size, sizeCheck(shape, parts, size)));
    }

    /**
     * For a shape with a free dim, a statement that throws when the constructor's sizes make it bigger than a Java
     * array: the product is taken in double (exact while it matters, and it cannot wrap as an int product does,
     * which allocated a wrong-sized array). Fixed shapes were checked by the checker (E0306). Null if not needed.
     */
    private String sizeCheck(Shape shape, List<String> parts, String size) {
      // One dim alone is an int, so it cannot pass the limit by wrapping; a product can.
      if (shape.rank() < 2 || shape.dims().stream().noneMatch(Dim::isFree)) return null;
      StringBuilder factors = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) factors.append(" + \"·\" + ");
        factors.append(shape.dim(i).isFree() ? parts.get(i) : JavaText.string(Integer.toString(shape.dim(i).size())));
      }
      return "if ((double) " + size + " > " + MAX_ARRAY + ".0) throw new IllegalArgumentException("
          + JavaText.string("dims too large: a tensor of shape " + shape + " would have ") + " + " + factors + " + "
          + JavaText.string(" entries, more than a Java array holds (" + MAX_ARRAY + ")") + ");";
    }

    // ---- methods ---------------------------------------------------------------------------------

    private MethodSpec constructor() {
      MethodSpec.Builder c = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC);
      StringBuilder doc = new StringBuilder("Allocates every buffer once; forward, backward and step allocate nothing.\n"
          + "Params start at zero: call {@link #initialize(long)} for their initialisers.\n");
      List<String> code = new ArrayList<>();
      for (ModelIR.DimInfo d : p.dims) {
        if (!d.isFree()) continue;
        String n = p.dimJava.get(d.name());
        c.addParameter(int.class, n);
        doc.append("@param ").append(n).append(" the size of dim ").append(JavaText.javadocLine(d.name())).append('\n');
        code.add("if (" + n + " <= 0) throw new IllegalArgumentException(" + JavaText.string("dim " + d.name()
            + " must be positive, got ") + " + " + n + ");");
        code.add("this." + n + " = " + n + ";");
        if (p.batchDims.containsKey(d.name())) code.add("this." + p.batchDims.get(d.name()).rows() + " = " + n + ";");
      }
      List<List<String>> allocations = new ArrayList<>();
      Set<String> checked = new HashSet<>();
      for (Array a : arrays()) if (a.check() != null && checked.add(a.size())) code.add(a.check());
      for (Array a : arrays()) {
        if (a.field() != null) allocations.add(List.of("this." + a.field() + " = new " + real.java() + "[" + a.size() + "];"));
      }
      if (bodies.kernelRows != null) {
        allocations.add(MatmulKernels.allocations(kernelNames(), bodies.kernelSites));
        for (Bodies.GatheredInput g : bodies.gatheredInputs.values()) {
          allocations.add(MatmulKernels.gatheredAllocations(g.form(), g.index(), g.rows(), g.cols(), real));
        }
      }
      code.addAll(maybeSplit("allocatePart", allocations, List.of(), "", "the constructor's allocations"));
      for (RecurrenceCode.StepClass s : bodies.recurrences.classes()) {
        List<String> args = new ArrayList<>();
        for (String d : s.nested().constructorDims()) args.add(p.dimJava.get(d));
        code.add("this." + s.field() + " = new " + s.className() + "(" + String.join(", ", args) + ");");
      }
      if (createParts != null) code.add(createParts + "();");
      return c.addJavadoc("$L", doc.toString()).addCode(code(lines(code))).build();
    }

    private MatmulKernels.Names kernelNames() {
      return new MatmulKernels.Names(bodies.kernelRows, bodies.kernelAccumulators, bodies.kernelTask,
          bodies.kernelTaskType);
    }

    private boolean needsGaussian() {
      for (ModelIR.Leaf l : m.params()) {
        ModelIR.InitKind k = init(l).kind();
        if (k == ModelIR.InitKind.NORMAL || k == ModelIR.InitKind.HE) return true;
      }
      return false;
    }

    private MethodSpec initialize() {
      String seed = p.names.fresh("seed");
      String rng = p.names.fresh("rng");
      CodeBlock.Builder code = CodeBlock.builder();
      if (!m.params().isEmpty()) code.addStatement("$T $L = new $T($L)", RANDOM, rng, RANDOM, seed);
      StringBuilder doc = new StringBuilder("Sets every param from its initialiser, drawing from one "
          + "{@code SplittableRandom(seed)} in declaration order: the same seed gives the same params.\n"
          + (m.params().isEmpty() ? "(This model has no params.)\n" : "<ul>\n"));
      List<List<String>> groups = new ArrayList<>();
      for (ModelIR.Leaf l : m.params()) {
        String name = p.javaName(l.name());
        if (groups.size() < LISTING_LINES) {
          doc.append("<li>").append(JavaText.javadocLine(l.spelling() + " ~ " + initText(l))).append('\n');
        }
        String draw = draw(init(l), l.var().shape(), rng);
        List<String> g = new ArrayList<>();
        g.add("// " + JavaText.lineComment(l.spelling() + " ~ " + initText(l)));
        draw = draw.equals("0.0") ? real.constant(draw) : real.narrow(draw, true);
        if (l.var().shape().isScalar()) {
          g.add(name + " = " + draw + ";");
        } else {
          g.add("for (int " + i + " = 0; " + i + " < " + name + ".length; " + i + "++) " + name + "[" + i + "] = "
              + draw + ";");
        }
        groups.add(g);
      }
      if (groups.size() > LISTING_LINES) doc.append("<li>… ").append(groups.size() - LISTING_LINES).append(" more\n");
      code.add("$L", lines(maybeSplit("initializePart", groups, List.of(ParameterSpec.builder(RANDOM, rng).build()),
          rng, "{@link #initialize(long)}")));
      doc.append(m.params().isEmpty() ? "" : "</ul>\n").append("@param ").append(seed).append(" the random seed\n@return this model\n");
      code.add("$L", "return this;\n");
      return MethodSpec.methodBuilder("initialize").addModifiers(Modifier.PUBLIC)
          .addParameter(long.class, seed).returns(ClassName.get("", p.className))
          .addJavadoc("$L", doc.toString()).addCode(code.build()).build();
    }

    private String draw(ModelIR.Init init, Shape shape, String rng) {
      // An empty product (a scalar param) is 1.
      String fanIn = bodies.size(new Shape(ModelIR.Init.fanInDims(shape)));
      String fanOut = bodies.size(new Shape(ModelIR.Init.fanOutDims(shape)));
      return switch (init.kind()) {
        case ZEROS -> "0.0";
        case NORMAL -> (init.a() == 0 ? "" : JavaText.literal(init.a()) + " + ") + JavaText.literal(init.b())
            + " * gaussian(" + rng + ")";
        case UNIFORM -> JavaText.literal(init.a()) + " + " + JavaText.literal(init.b() - init.a()) + " * " + rng
            + ".nextDouble()";
        case XAVIER -> "(2.0 * " + rng + ".nextDouble() - 1.0) * Math.sqrt(6.0 / (" + fanIn + " + " + fanOut + "))";
        case HE -> "Math.sqrt(2.0 / " + paren(fanIn) + ") * gaussian(" + rng + ")";
      };
    }

    /** A length as the Javadoc states it: a batch dim by its name (its rows), not its rows field. */
    private String lengthText(Shape s) {
      List<String> parts = new ArrayList<>();
      for (dev.nnc.ir.Dim d : s.dims()) {
        parts.add(d.name() != null && p.batchDims.containsKey(d.name()) ? d.name() + " (rows)" : p.dim(d));
      }
      return String.join(" * ", parts);
    }

    private static String paren(String s) {
      return s.contains(" ") ? "(" + s + ")" : s;
    }

    private MethodSpec forwardMethod() {
      MethodSpec.Builder f = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC).returns(real.type());
      StringBuilder doc = new StringBuilder("The forward pass: computes, in order,\n<pre>\n");
      for (ModelIR.Value v : m.values().subList(0, Math.min(m.values().size(), LISTING_LINES))) {
        doc.append(JavaText.javadocLine(v.spelling() + " = " + v.sourceText())).append('\n');
      }
      if (m.values().size() > LISTING_LINES) doc.append("… ").append(m.values().size() - LISTING_LINES).append(" more\n");
      doc.append("</pre>\nand keeps every value in its field for {@link #backward()}.\n");
      if (!p.batchDims.isEmpty()) {
        doc.append("Batch dims (").append(JavaText.javadocLine(String.join(", ", p.batchDims.keySet())))
            .append(") take their rows from the inputs' lengths, 1 up to the\ncapacity given to the constructor.\n");
      }
      boolean holder = wide.addParameter(f, doc, m.inputs());
      for (ModelIR.Leaf l : holder ? List.<ModelIR.Leaf>of() : m.inputs()) {
        String n = p.javaName(l.name());
        Shape s = l.var().shape();
        doc.append("@param ").append(n).append(" input ").append(JavaText.javadocLine(l.spelling() + shapeText(s)));
        if (s.isScalar()) {
          f.addParameter(real.type(), n);
        } else {
          f.addParameter(ParameterSpec.builder(real.array(), n).build());
          doc.append(", flat row-major, length ").append(JavaText.javadocLine(lengthText(s)));
        }
        doc.append('\n');
      }

      String loss = p.javaName(m.loss());
      doc.append("@return the loss ").append(JavaText.javadocLine(lossSpelling())).append('\n');
      doc.append("@throws IllegalArgumentException if an array's length does not match its shape\n");
      List<String> code = new ArrayList<>(InputChecks.lines(p, bodies, m.inputs(), wide.from(m.inputs())));
      code.addAll(body(forwardParts, forward, p.splitForward));
      code.add("return " + loss + ";");
      return f.addJavadoc("$L", doc.toString()).addCode(code(lines(code))).build();
    }

    private MethodSpec backwardMethod() {
      StringBuilder doc = new StringBuilder("The reverse pass for the last {@link #forward}: fills ");
      List<String> grads = new ArrayList<>();
      for (ModelIR.Leaf l : m.params()) {
        grads.add("{@code " + p.gradName(l.name()) + "} = " + JavaText.javadocLine(bodies.adjointSymbol(l.name())));
      }
      doc.append(grads.isEmpty() ? "nothing (the model has no params)" : String.join(", ", grads)).append(".\n")
          .append("Each statement is one chain-rule step; its comment shows the step and the .nn line.\n");
      return MethodSpec.methodBuilder("backward").addModifiers(Modifier.PUBLIC)
          .addJavadoc("$L", doc.toString())
          .addCode(code(lines(body(backwardParts, backward, p.splitBackward)))).build();
    }

    /**
     * {@code jvp()}: forward mode at the point of the last forward, along the direction in the {@code xDot} fields —
     * the change of the loss (returned, and in its field) and of every output, from the registry's JVP rules.
     */
    private MethodSpec jvpMethod() {
      List<String> dirs = new ArrayList<>();
      for (Tangents.Direction d : directions()) dirs.add("{@code " + p.tangentName(d.leaf().name()) + "}");
      List<String> outs = new ArrayList<>();
      for (Tangents.Root r : p.tangents.roots()) {
        if (!r.value().name().equals(m.loss())) outs.add("{@code " + p.tangentName(r.value().name()) + "}");
      }
      String loss = p.tangentName(m.loss());
      StringBuilder doc = new StringBuilder("Forward mode: the change of the loss and of every output along a direction"
          + " of the params and\ninputs, at the point of the last {@link #forward}, in one pass (the directional "
          + "derivative; for\nparams only, it equals the dot product of the gradients of {@link #backward()} with the "
          + "direction).\nThe direction is read from " + String.join(", ", dirs) + " (params, then inputs; zero "
          + "until set).\nSets " + (outs.isEmpty() ? "" : String.join(", ", outs) + " and ") + "{@code " + loss
          + "}; allocates nothing.\n@return the change of the loss " + JavaText.javadocLine(lossSpelling())
          + " along the direction\n");
      List<String> code = new ArrayList<>(body(jvpParts, jvp, p.splitJvp));
      code.add("return " + loss + ";");
      return MethodSpec.methodBuilder("jvp").addModifiers(Modifier.PUBLIC).returns(real.type())
          .addJavadoc("$L", doc.toString()).addCode(code(lines(code))).build();
    }

    private MethodSpec step() {
      String lr = p.names.fresh("learningRate");
      List<List<String>> groups = new ArrayList<>();
      for (ModelIR.Leaf l : m.params()) {
        String w = p.javaName(l.name());
        String dw = p.gradName(l.name());
        if (l.var().shape().isScalar()) {
          groups.add(List.of(w + " -= " + lr + " * " + dw + ";"));
        } else {
          groups.add(List.of("for (int " + i + " = 0; " + i + " < " + w + ".length; " + i + "++) " + w + "[" + i
              + "] -= " + lr + " * " + dw + "[" + i + "];"));
        }
      }
      List<String> code = maybeSplit("stepPart", groups, List.of(ParameterSpec.builder(double.class, lr).build()), lr,
          "{@link #step(double)}");
      return MethodSpec.methodBuilder("step").addModifiers(Modifier.PUBLIC)
          .addParameter(double.class, lr)
          .addJavadoc("$L", "One step of gradient descent: every param {@code p} becomes {@code p − " + lr
              + "·dp}, with the gradients of the last {@link #backward()}.\n@param " + lr + " the step size\n")
          .addCode(code(lines(code))).build();
    }

    private List<String> body(PartGroups.Placement parts, List<Bodies.Stmt> stmts, boolean split) {
      List<String> code = new ArrayList<>();
      if (!split) {
        for (Bodies.Stmt s : stmts) code.addAll(s.lines());
        return code;
      }
      return parts.calls();
    }

    private void add(TypeSpec.Builder type, PartGroups.Placement parts) {
      for (FieldSpec f : parts.fields()) type.addField(f);
      partCreations.addAll(PartGroups.creations(parts));
      for (MethodSpec m : parts.methods()) type.addMethod(m);
      for (TypeSpec t : parts.types()) type.addType(splices == null ? t : splices.type(t));
    }

    /** The private methods a long forward or backward is split into (JVM methods stop at 64 KB of bytecode). */
    private List<MethodSpec> parts(String partName, List<Bodies.Stmt> stmts) {
      List<MethodSpec> out = new ArrayList<>();
      boolean split = partName.startsWith("forward") ? p.splitForward
          : partName.startsWith("jvp") ? p.splitJvp : p.splitBackward;
      if (!split) return out;
      for (int from = 0, k = 1; from < stmts.size(); from += Plan.CHUNK, k++) {
        List<List<String>> code = new ArrayList<>(); // the statements' own lines: read when the file is spliced
        for (Bodies.Stmt s : stmts.subList(from, Math.min(stmts.size(), from + Plan.CHUNK))) code.add(s.lines());
        out.add(MethodSpec.methodBuilder(partName + k).addModifiers(Modifier.PRIVATE)
            .addJavadoc("$L", "Statements " + (from + 1) + " to " + Math.min(stmts.size(), from + Plan.CHUNK)
                + " of " + (partName.startsWith("forward") ? "{@link #forward}"
                    : partName.startsWith("jvp") ? "{@link #jvp()}" : "{@link #backward()}") + ".\n")
            .addCode(splices != null ? splices.body(code) : CodeBlock.of("$L", lines(code.stream()
                .flatMap(List::stream).toList()))).build());
      }
      return out;
    }

    /** A method's code: its lines, or where the file's class is written ({@link Splices}), their marker. */
    private CodeBlock code(String lines) {
      return splices == null ? CodeBlock.of("$L", lines) : splices.body(lines);
    }

    private static String lines(List<String> code) {
      StringBuilder sb = new StringBuilder();
      for (String l : code) sb.append(l).append('\n');
      return sb.toString();
    }

    // ---- documentation ---------------------------------------------------------------------------

    private String lossSpelling() {
      return p.table.lossSpelling();
    }

    private String where(dev.nnc.diag.Span span) {
      return bodies.where(span);
    }

    private static String doc(String text) {
      return JavaText.javadocLine(text) + "\n";
    }

    private static String shapeText(Shape s) {
      return s.isScalar() ? "" : s.toString();
    }

    private static ModelIR.Init init(ModelIR.Leaf l) {
      if (l.init() != null) return l.init();
      return l.var().shape().rank() >= 2 ? new ModelIR.Init(ModelIR.InitKind.NORMAL, 0, 0.01) : ModelIR.Init.ZEROS;
    }

    private static String initText(ModelIR.Leaf l) {
      ModelIR.Init in = init(l);
      return switch (in.kind()) {
        case ZEROS -> "zeros";
        case XAVIER -> "xavier";
        case HE -> "he";
        case NORMAL -> "normal(" + num(in.a()) + ", " + num(in.b()) + ")";
        case UNIFORM -> "uniform(" + num(in.a()) + ", " + num(in.b()) + ")";
      };
    }

    private static String num(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private String classDoc() {
      StringBuilder d = new StringBuilder();
      d.append("Model {@code ").append(JavaText.javadocLine(p.className)).append("}, generated by nnc from ")
          .append(JavaText.javadocLine(p.file)).append(" (edit the .nn file, not this one):\n<pre>\n");
      List<String> listing = new ArrayList<>();
      List<String> dimItems = new ArrayList<>();
      for (ModelIR.DimInfo dim : p.dims) dimItems.add(dim.name() + (dim.isFree() ? "" : " = " + dim.size()));
      if (!dimItems.isEmpty()) listing.add("dim " + String.join(", ", dimItems));
      List<String> ins = new ArrayList<>();
      for (ModelIR.Leaf l : m.inputs()) ins.add(l.spelling() + shapeText(l.var().shape()));
      if (!ins.isEmpty()) listing.add("input " + String.join(", ", ins));
      List<String> ps = new ArrayList<>();
      for (ModelIR.Leaf l : m.params()) ps.add(l.spelling() + shapeText(l.var().shape()) + " ~ " + initText(l));
      if (!ps.isEmpty()) listing.add("param " + String.join(", ", ps));
      for (ModelIR.Value v : m.values()) listing.add(v.spelling() + " = " + v.sourceText());
      if (!m.outputs().isEmpty()) listing.add("output " + String.join(", ", m.outputs()));
      listing.add("loss " + lossSpelling());
      d.append("model ").append(JavaText.javadocLine(m.name())).append(" {\n");
      for (String l : listing.subList(0, Math.min(listing.size(), LISTING_LINES))) {
        d.append("  ").append(JavaText.javadocLine(l)).append('\n');
      }
      if (listing.size() > LISTING_LINES) d.append("  … ").append(listing.size() - LISTING_LINES).append(" more lines\n");
      d.append("}\n</pre>\n");
      d.append("Use: construct with the free dims, {@link #initialize(long)}, then per batch {@link #forward},\n"
          + "{@link #backward()} and {@link #step(double)}. Tensors are flat row-major {@code " + real.java()
          + "[]}; after\n"
          + "{@code forward} every value above is in its field, after {@code backward} every gradient "
          + "{@code d<param>}.\n");
      return d.toString();
    }
  }
}
