package dev.panamax.kotlin.checker

import org.jetbrains.kotlin.AbstractKtSourceElement
import org.jetbrains.kotlin.KtSourceElement
import org.jetbrains.kotlin.KtSourceFileLinesMapping
import org.jetbrains.kotlin.contracts.description.EventOccurrencesRange
import org.jetbrains.kotlin.fir.FirElement
import org.jetbrains.kotlin.fir.FirSession
import org.jetbrains.kotlin.fir.unwrapFakeOverrides
import org.jetbrains.kotlin.fir.declarations.FirAnonymousFunction
import org.jetbrains.kotlin.fir.declarations.FirFunction
import org.jetbrains.kotlin.fir.declarations.FirProperty
import org.jetbrains.kotlin.fir.declarations.FirValueParameter
import org.jetbrains.kotlin.fir.declarations.InlineStatus
import org.jetbrains.kotlin.fir.declarations.hasAnnotation
import org.jetbrains.kotlin.fir.declarations.toAnnotationClassId
import org.jetbrains.kotlin.fir.types.customAnnotations
import org.jetbrains.kotlin.fir.expressions.ExhaustivenessStatus
import org.jetbrains.kotlin.fir.expressions.FirAnonymousFunctionExpression
import org.jetbrains.kotlin.fir.expressions.FirAnonymousObjectExpression
import org.jetbrains.kotlin.fir.expressions.FirBlock
import org.jetbrains.kotlin.fir.expressions.FirBooleanOperatorExpression
import org.jetbrains.kotlin.fir.expressions.FirBreakExpression
import org.jetbrains.kotlin.fir.expressions.FirCallableReferenceAccess
import org.jetbrains.kotlin.fir.expressions.FirCheckNotNullCall
import org.jetbrains.kotlin.fir.expressions.FirCheckedSafeCallSubject
import org.jetbrains.kotlin.fir.expressions.FirContinueExpression
import org.jetbrains.kotlin.fir.expressions.FirDoWhileLoop
import org.jetbrains.kotlin.fir.expressions.FirElvisExpression
import org.jetbrains.kotlin.fir.expressions.FirEqualityOperatorCall
import org.jetbrains.kotlin.fir.expressions.FirExpression
import org.jetbrains.kotlin.fir.expressions.FirFunctionCall
import org.jetbrains.kotlin.fir.expressions.FirLiteralExpression
import org.jetbrains.kotlin.fir.expressions.FirLoop
import org.jetbrains.kotlin.fir.expressions.FirOperation
import org.jetbrains.kotlin.fir.expressions.FirQualifiedAccessExpression
import org.jetbrains.kotlin.fir.expressions.FirResolvedQualifier
import org.jetbrains.kotlin.fir.expressions.FirReturnExpression
import org.jetbrains.kotlin.fir.expressions.FirSafeCallExpression
import org.jetbrains.kotlin.fir.expressions.FirSmartCastExpression
import org.jetbrains.kotlin.fir.expressions.FirThisReceiverExpression
import org.jetbrains.kotlin.fir.expressions.FirThrowExpression
import org.jetbrains.kotlin.fir.expressions.FirTryExpression
import org.jetbrains.kotlin.fir.expressions.FirTypeOperatorCall
import org.jetbrains.kotlin.fir.expressions.FirVariableAssignment
import org.jetbrains.kotlin.fir.expressions.FirWhenExpression
import org.jetbrains.kotlin.fir.expressions.FirWhileLoop
import org.jetbrains.kotlin.fir.expressions.FirWrappedArgumentExpression
import org.jetbrains.kotlin.fir.expressions.arguments
import org.jetbrains.kotlin.fir.expressions.impl.FirElseIfTrueCondition
import org.jetbrains.kotlin.fir.expressions.resolvedArgumentMapping
import org.jetbrains.kotlin.fir.references.toResolvedBaseSymbol
import org.jetbrains.kotlin.fir.references.toResolvedFunctionSymbol
import org.jetbrains.kotlin.fir.symbols.FirBasedSymbol
import org.jetbrains.kotlin.fir.symbols.impl.FirConstructorSymbol
import org.jetbrains.kotlin.fir.symbols.impl.FirFunctionSymbol
import org.jetbrains.kotlin.fir.symbols.impl.FirPropertySymbol
import org.jetbrains.kotlin.fir.symbols.impl.FirValueParameterSymbol
import org.jetbrains.kotlin.fir.types.ConeClassLikeType
import org.jetbrains.kotlin.fir.types.ConeKotlinType
import org.jetbrains.kotlin.fir.types.ConeTypeParameterType
import org.jetbrains.kotlin.fir.types.coneType
import org.jetbrains.kotlin.fir.types.lowerBoundIfFlexible
import org.jetbrains.kotlin.fir.types.resolvedType
import org.jetbrains.kotlin.fir.visitors.FirVisitorVoid
import org.jetbrains.kotlin.name.ClassId
import org.jetbrains.kotlin.name.FqName
import org.jetbrains.kotlin.types.ConstantValueKind

/**
 * The forward dataflow analysis of one function body over its FIR tree: an abstract
 * interpreter whose state maps each `OwnedPacket` local and parameter to a [PacketState]. It
 * follows blocks, `if`/`when` (an exhaustive `when` without `else` has no path on which no branch
 * matches), `while`/`do`/`for`, `break`/`continue`, `return` (also labelled returns out of inline
 * lambdas), `throw`, `try`/`catch`/`finally`, safe calls, elvis and inline lambdas (run in place
 * once, at most once or any number of times, from their `callsInPlace` contract). Loops are
 * iterated to a fixed point; a diagnostic found at the same place twice is reported once.
 */
class OwnershipAnalysis(private val session: FirSession, private val lines: KtSourceFileLinesMapping) {
  /** What an expression evaluates to, as far as packets go. */
  private sealed interface Value {
    data object None : Value
    data object Null : Value
    data class Var(val symbol: FirBasedSymbol<*>) : Value
    data class Fresh(val callName: String, val source: KtSourceElement?) : Value
    data class Lent(val by: String) : Value
  }

  /** A tracked variable: its name, where it is declared and since when it owns a packet. */
  private class Info(val name: String, val declaration: KtSourceElement?, var since: Int)

  private class State(val vars: LinkedHashMap<FirBasedSymbol<*>, PacketState> = LinkedHashMap()) {
    fun copy() = State(LinkedHashMap(vars))
  }

  /** A path reaching a join point with the words that describe it in a leak message. */
  private class Path(val state: State, val words: String)

  private class LoopFrame(val loop: FirLoop, val finallyDepth: Int, val outer: Set<FirBasedSymbol<*>>) {
    val breaks = ArrayList<Path>()
    val continues = ArrayList<Path>()
  }

  private class LambdaFrame(val lambda: FirAnonymousFunction, val finallyDepth: Int, val outer: Set<FirBasedSymbol<*>>) {
    val exits = ArrayList<Path>()
    var result: Value = Value.None
  }

  private class TryFrame(val catchLine: Int, val caught: String, val declaredBefore: Set<FirBasedSymbol<*>>) {
    val entries = ArrayList<State>()
    val declaredInside = LinkedHashSet<FirBasedSymbol<*>>()
    val reported = HashSet<FirBasedSymbol<*>>()
  }

  private val infos = HashMap<FirBasedSymbol<*>, Info>()
  private val aliases = HashMap<FirBasedSymbol<*>, FirBasedSymbol<*>>()
  private val subjects = HashMap<FirCheckedSafeCallSubject, Value>()
  private val loops = ArrayList<LoopFrame>()
  private val lambdas = ArrayList<LambdaFrame>()
  private val tries = ArrayList<TryFrame>()
  private val finallies = ArrayList<FirBlock>()
  private val found = LinkedHashMap<String, Finding>()
  private val captureReports = HashSet<String>()
  private lateinit var function: FirFunction
  private var returnsOwnership = false

  /** The diagnostics, in source order. */
  fun findings(): List<Finding> = found.values.sortedBy { it.source.startOffset }

  /** Analyses [f]'s body; its packet parameters are lent unless annotated `@Consumes`. */
  fun analyse(f: FirFunction) {
    function = f
    returnsOwnership = isPacket(f.returnTypeRef.coneType) && !f.hasAnnotation(BORROWED, session)
    val state = State()
    for (p in f.valueParameters) {
      declareParameter(p, state, owned = consumesParameter(p))
    }
    val body = f.body ?: return
    val end = block(body, state, "the end of the function at line ${lastLine(body)}")
    if (end != null) {
      leakAll(end, null, "the end of the function at line ${lastLine(body)}", atDeclaration = true)
    }
  }

  // ---- statements and expressions ----------------------------------------------------------

  /** Evaluates [b]; the packets declared in it that are still owned at its end leak ([end]). */
  private fun block(b: FirBlock, s: State, end: String): State? {
    var cur: State? = s
    val declared = ArrayList<FirBasedSymbol<*>>()
    for (st in b.statements) {
      if (cur == null) {
        break
      }
      if (st is FirProperty) {
        cur = declare(st, cur)
        if (st.symbol in cur.vars) {
          declared.add(st.symbol)
          tries.lastOrNull()?.declaredInside?.add(st.symbol)
        }
        continue
      }
      val r = eval(st, cur)
      cur = r.first
      current = cur
      if (cur != null) {
        dropped(r.second, st)
      }
    }
    if (cur != null) {
      for (v in declared) {
        val st = cur.vars[v] ?: continue
        if (st.mayBeOwned() && v !in aliases) {
          leak(v, st, infos[v]?.declaration, scopeEnd(st, end, b), atName = true)
        }
        cur.vars.remove(v)
      }
    } else {
      declared.forEach { v -> infos[v] }
    }
    return cur
  }

  private fun scopeEnd(st: PacketState, end: String, b: FirBlock): String =
    if (st is PacketState.Maybe) st.path else end.ifEmpty { "the end of its scope at line ${lastLine(b)}" }

  /** A value computed as a statement and not kept. */
  private fun dropped(v: Value, at: FirElement) {
    when (v) {
      is Value.Fresh -> report(v.source ?: at.source, "ownership.leak.unassigned", v.callName, "is dropped")
      is Value.Var -> use(v, at.source)
      else -> {}
    }
  }

  private fun eval(e: FirElement, s: State): Pair<State?, Value> {
    current = s
    if (e is FirBreakExpression || e is FirContinueExpression) currentJump = e.source
    val r = evalNode(e, s)
    current = r.first
    return r
  }

  private fun evalNode(e: FirElement, s: State): Pair<State?, Value> = when (e) {
    is FirBlock -> Pair(block(e, s, ""), Value.None)
    is FirSmartCastExpression -> eval(e.originalExpression, s)
    is FirWrappedArgumentExpression -> eval(e.expression, s)
    is FirLiteralExpression -> Pair(s, if (e.kind == ConstantValueKind.Null) Value.Null else Value.None)
    is FirCheckedSafeCallSubject -> Pair(s, subjects[e] ?: Value.None)
    is FirThisReceiverExpression -> Pair(s, thisValue(e, s))
    is FirFunctionCall -> call(e, s)
    is FirCallableReferenceAccess -> reference(e, s)
    is FirQualifiedAccessExpression -> access(e, s)
    is FirVariableAssignment -> Pair(assign(e, s), Value.None)
    is FirWhenExpression -> whenExpression(e, s)
    is FirWhileLoop -> Pair(whileLoop(e, s), Value.None)
    is FirDoWhileLoop -> Pair(doWhileLoop(e, s), Value.None)
    is FirBreakExpression -> Pair(jump(e.target.labeledElement, s, isBreak = true), Value.None)
    is FirContinueExpression -> Pair(jump(e.target.labeledElement, s, isBreak = false), Value.None)
    is FirReturnExpression -> Pair(returnExpression(e, s), Value.None)
    is FirThrowExpression -> Pair(throwExpression(e, s), Value.None)
    is FirTryExpression -> Pair(tryExpression(e, s), Value.None)
    is FirSafeCallExpression -> safeCall(e, s)
    is FirElvisExpression -> elvis(e, s)
    is FirEqualityOperatorCall -> Pair(equality(e, s), Value.None)
    is FirBooleanOperatorExpression -> booleanOperator(e, s)
    is FirTypeOperatorCall -> typeOperator(e, s)
    is FirCheckNotNullCall -> e.argumentList.arguments.firstOrNull()?.let { eval(it, s) } ?: Pair(s, Value.None)
    is FirAnonymousFunctionExpression -> Pair(capturing(e.anonymousFunction, s, "a lambda capture"), Value.None)
    is FirAnonymousObjectExpression -> Pair(capturing(e.anonymousObject, s, "a capture by an anonymous or local class"), Value.None)
    is FirFunction -> Pair(capturing(e, s, "a capture by an anonymous or local class"), Value.None)
    is FirProperty -> Pair(declare(e, s), Value.None)
    else -> Pair(children(e, s), Value.None)
  }

  /** Any other element: its children in order, each value used. */
  private fun children(e: FirElement, s: State): State? {
    val kids = ArrayList<FirElement>()
    e.acceptChildren(object : FirVisitorVoid() {
      override fun visitElement(element: FirElement) {
        kids.add(element)
      }
    })
    var cur: State? = s
    for (k in kids) {
      if (cur == null) {
        return null
      }
      val r = eval(k, cur)
      cur = r.first
      current = cur
      if (cur != null) {
        useValue(r.second, k.source)
      }
    }
    return cur
  }

  private fun evalExpr(e: FirExpression?, s: State): Pair<State?, Value> = if (e == null) Pair(s, Value.None) else eval(e, s)

  // ---- variables ---------------------------------------------------------------------------

  private fun declareParameter(p: FirValueParameter, s: State, owned: Boolean) {
    if (!isPacket(p.returnTypeRef.coneType)) {
      return
    }
    infos[p.symbol] = Info(p.name.asString(), p.source, line(p.source))
    s.vars[p.symbol] = if (owned) PacketState.Owned() else PacketState.Borrowed
  }

  private fun declare(p: FirProperty, s: State): State {
    val init = p.initializer
    if (!p.isLocal || !isPacket(p.returnTypeRef.coneType)) {
      if (init == null) {
        return s
      }
      val r = eval(init, s)
      val out = r.first ?: return s
      useValue(r.second, init.source)
      return out
    }
    infos[p.symbol] = Info(p.name.asString(), p.source, line(p.source))
    if (init == null) {
      s.vars[p.symbol] = PacketState.Empty
      return s
    }
    val r = eval(init, s)
    val out = r.first ?: return s
    out.vars[p.symbol] = receive(r.second, out, "moved to '${p.name}'", init.source)
    infos[p.symbol]?.since = line(p.source)
    return out
  }

  /** The state of a variable that takes [v]; a variable moved from is consumed. */
  private fun receive(v: Value, s: State, how: String, at: KtSourceElement?): PacketState = when (v) {
    is Value.Fresh -> PacketState.Owned()
    is Value.Lent -> PacketState.Borrowed
    is Value.Null, Value.None -> PacketState.Empty
    is Value.Var -> when (val from = s.vars[v.symbol]) {
      is PacketState.Borrowed -> PacketState.Borrowed
      is PacketState.Empty, null -> PacketState.Empty
      is PacketState.Owned -> {
        consume(v, s, how, at)
        from
      }
      else -> {
        consume(v, s, how, at)
        PacketState.Empty
      }
    }
  }

  private fun assign(a: FirVariableAssignment, s: State): State? {
    val r = eval(a.rValue, s)
    val out = r.first ?: return null
    val target = (a.lValue as? FirQualifiedAccessExpression)?.calleeReference?.toResolvedBaseSymbol()
    val sym = target?.let { resolve(it) }
    if (sym != null && sym in out.vars) {
      val old = out.vars.getValue(sym)
      if (old.mayBeOwned()) {
        leak(sym, old, a.source, "the assignment at line ${line(a.source)}, which overwrites it", atName = false)
      }
      out.vars[sym] = receive(r.second, out, "moved to '${infos[sym]?.name}'", a.rValue.source)
      infos[sym]?.since = line(a.source)
      return out
    }
    val isField = target is FirPropertySymbol && !target.isLocal
    if (isField && r.second.isPacket()) {
      val field = target
      if (field.hasAnnotation(OWNED, session)) {
        consume(r.second, out, "stored in the @Owned field '${field.name}'", a.rValue.source)
      } else {
        escape(r.second, out, "the field '${field.name}'", a.rValue.source)
      }
      return out
    }
    useValue(r.second, a.rValue.source)
    return out
  }

  private fun access(e: FirQualifiedAccessExpression, s: State): Pair<State?, Value> {
    val receiver = e.explicitReceiver
    var cur: State? = s
    if (receiver != null && receiver !is FirResolvedQualifier) {
      val r = eval(receiver, s)
      cur = r.first ?: return Pair(null, Value.None)
      useValue(r.second, receiver.source)
    }
    val sym = e.calleeReference.toResolvedBaseSymbol() ?: return Pair(cur, Value.None)
    val target = resolve(sym)
    if (target in cur!!.vars) {
      return Pair(cur, Value.Var(target))
    }
    if (sym is FirPropertySymbol && !sym.isLocal && isPacket(e.resolvedType)) {
      return Pair(cur, if (sym.hasAnnotation(OWNED, session)) Value.Fresh(sym.name.asString(), e.source) else Value.Lent("the property '${sym.name}'"))
    }
    return Pair(cur, Value.None)
  }

  /** `p::free`: a reference bound to a packet variable captures it. */
  private fun reference(e: FirCallableReferenceAccess, s: State): Pair<State?, Value> {
    val receiver = e.explicitReceiver
    if (receiver == null || receiver is FirResolvedQualifier) return Pair(s, Value.None)
    val r = eval(receiver, s)
    val out = r.first ?: return Pair(null, Value.None)
    if (r.second.isPacket()) escape(r.second, out, "a capture by the function reference", receiver.source) else useValue(r.second, receiver.source)
    return Pair(out, Value.None)
  }

  private fun thisValue(e: FirThisReceiverExpression, s: State): Value {
    val bound = e.calleeReference.boundSymbol ?: return Value.None
    val target = resolve(bound)
    return if (target in s.vars) Value.Var(target) else Value.None
  }

  private fun resolve(sym: FirBasedSymbol<*>): FirBasedSymbol<*> {
    var cur = sym
    while (true) {
      cur = aliases[cur] ?: return cur
    }
  }

  // ---- uses, consumption, escapes ----------------------------------------------------------

  private fun Value.isPacket(): Boolean = this is Value.Var || this is Value.Fresh || this is Value.Lent

  /** [v] is read where its value is not kept. */
  private fun useValue(v: Value, at: KtSourceElement?) {
    when (v) {
      is Value.Var -> use(v, at)
      is Value.Fresh -> report(v.source ?: at, "ownership.leak.unassigned", v.callName, "is dropped")
      else -> {}
    }
  }

  private var current: State? = null

  private fun use(v: Value.Var, at: KtSourceElement?) {
    val st = current?.vars?.get(v.symbol) ?: return
    val name = infos[v.symbol]?.name ?: return
    when (st) {
      is PacketState.Consumed -> report(at, "ownership.use.after.consume", name, "was", st.line, st.how)
      is PacketState.Maybe -> report(at, "ownership.use.after.consume", name, "may have been", st.line, st.how)
      else -> {}
    }
  }

  /** [v] is consumed at [at] as [how] ("freed by free()"). */
  private fun consume(v: Value, s: State, how: String, at: KtSourceElement?) {
    when (v) {
      is Value.Lent -> report(at, "ownership.borrowed.consumed", "the packet lent by ${v.by}", verb(how), hint(how, null))
      is Value.Var -> {
        val name = infos[v.symbol]?.name ?: return
        when (val st = s.vars[v.symbol]) {
          is PacketState.Borrowed -> report(at, "ownership.borrowed.consumed", "packet '$name'", verb(how), hint(how, lentBy[v.symbol]))
          is PacketState.Consumed -> report(at, "ownership.double.consume", name, "was", st.line, st.how, how)
          is PacketState.Maybe -> report(at, "ownership.double.consume", name, "may have been", st.line, st.how, how)
          else -> {}
        }
        if (s.vars[v.symbol] !is PacketState.Borrowed) {
          s.vars[v.symbol] = PacketState.Consumed(line(at), how)
        }
      }
      else -> {}
    }
  }

  /** How to fix consuming a borrow: by what was consumed ([how]) and who lent it ([lender]). */
  private fun hint(how: String, lender: String?): String = when {
    how == "returned" -> "return a packet you own (one taken with take() or allocated), or declare the function @Borrowed"
    lender != null -> "the lambda's packet is lent by $lender; to drop packets from a batch use batch.freeIf(filter) or batch.freeAll()"
    else -> BORROW_HINT
  }

  /** The words after "cannot be": "freed by free()", "returned", "passed to ...". */
  private fun verb(how: String): String = how

  private fun escape(v: Value, s: State, into: String, at: KtSourceElement?) {
    when (v) {
      is Value.Var -> {
        val name = infos[v.symbol]?.name ?: return
        val st = s.vars[v.symbol]
        report(at, "ownership.escape", name, into, if (st is PacketState.Borrowed) "a borrowed packet" else "an owned packet")
        if (st != null && st !is PacketState.Borrowed) {
          s.vars[v.symbol] = PacketState.Consumed(line(at), "escaped into $into")
        }
      }
      is Value.Fresh -> report(at, "ownership.escape", "returned by ${v.callName}()", into, "an owned packet")
      is Value.Lent -> report(at, "ownership.escape", "lent by ${v.by}", into, "a borrowed packet")
      else -> {}
    }
  }

  // ---- calls -------------------------------------------------------------------------------

  private fun call(c: FirFunctionCall, s: State): Pair<State?, Value> {
    val fn = c.calleeReference.toResolvedFunctionSymbol()
    val name = fn?.name?.asString() ?: c.calleeReference.name.asString()
    var cur: State = s
    // The receiver: explicit, or an implicit `this` bound to a packet (inside `run`/`apply`).
    var recv: Value = Value.None
    val explicit = c.explicitReceiver
    if (explicit != null && explicit !is FirResolvedQualifier) {
      val r = eval(explicit, cur)
      cur = r.first ?: return Pair(null, Value.None)
      recv = r.second
    } else {
      val implicit = c.extensionReceiver ?: c.dispatchReceiver
      if (implicit is FirThisReceiverExpression) {
        recv = thisValue(implicit, cur)
      }
    }
    // The arguments, lambdas last (the callee runs them after its arguments are evaluated).
    val mapping = c.resolvedArgumentMapping ?: LinkedHashMap()
    val lambdaArgs = ArrayList<FirAnonymousFunction>()
    val values = ArrayList<Triple<FirExpression, Value, FirValueParameter?>>()
    for (arg in c.argumentList.arguments) {
      val unwrapped = unwrapArgument(arg)
      if (unwrapped is FirAnonymousFunctionExpression) {
        lambdaArgs.add(unwrapped.anonymousFunction)
        continue
      }
      val r = eval(arg, cur)
      cur = r.first ?: return Pair(null, Value.None)
      values.add(Triple(arg, r.second, mapping[arg]))
    }
    current = cur
    // Exception edge into an enclosing catch: the call may throw before it takes anything.
    tries.lastOrNull()?.entries?.add(cur.copy())
    val owner = fn?.callableId?.classId
    val display = describe(fn, name)
    // Effects on the receiver.
    val scope = name in SCOPE_FUNCTIONS && fn?.callableId?.packageName == KOTLIN && lambdaArgs.isNotEmpty()
    if (recv.isPacket() && !scope) {
      if (owner == OWNED_PACKET && name == "free") {
        consume(recv, cur, "freed by free()", c.source)
      } else if (recv is Value.Fresh) {
        report(recv.source, "ownership.leak.unassigned", recv.callName, "is only used to call $name() and never consumed")
      } else if (recv is Value.Var) {
        use(recv, explicit?.source ?: c.source)
      }
    }
    // Effects on the arguments.
    for ((arg, v, param) in values) {
      if (!v.isPacket()) {
        continue
      }
      when {
        param != null && consumesParameter(param) -> consume(v, cur, consumption(fn, owner, name, param), arg.source)
        param != null && storesInCollection(fn, param) -> escape(v, cur, collectionInto(c, fn, name), arg.source)
        v is Value.Fresh -> report(v.source, "ownership.leak.unassigned", v.callName,
          "is passed to the borrowing parameter of $name() and never consumed")
        v is Value.Var -> use(v, arg.source)
        else -> {}
      }
    }
    // Lambdas.
    var lambdaResult: Value = Value.None
    for (lambda in lambdaArgs) {
      val r = if (lambda.inlineStatus == InlineStatus.Inline) {
        // also/apply/takeIf hand the packet back to the caller: inside, it is lent.
        val subject = if (!scope) Value.None else if (recv is Value.Fresh && name in RETURNS_RECEIVER) Value.Lent("$name()") else recv
        inlineLambda(lambda, cur, subject, display)
      } else {
        Pair(capturing(lambda, cur, "a lambda capture"), Value.None)
      }
      cur = r.first ?: return Pair(null, Value.None)
      lambdaResult = r.second
    }
    current = cur
    val result = when {
      scope && (name == "also" || name == "apply") -> recv
      scope && name in RESULT_OF_LAMBDA -> lambdaResult
      fn == null -> Value.None
      else -> resultOf(fn, c, name, display)
    }
    return Pair(cur, result)
  }

  private fun unwrapArgument(e: FirExpression): FirExpression = when (e) {
    is FirWrappedArgumentExpression -> unwrapArgument(e.expression)
    else -> e
  }

  private fun resultOf(fn: FirFunctionSymbol<*>, c: FirFunctionCall, name: String, display: String): Value {
    if (!isPacket(c.resolvedType)) {
      return Value.None
    }
    if (fn.hasAnnotation(BORROWED, session)) {
      return Value.Lent(display)
    }
    if (fn.hasAnnotation(OWNED, session)) {
      return Value.Fresh(name, c.source)
    }
    val declared = fn.resolvedReturnTypeRef.coneType
    if (declared.lowerBoundIfFlexible() is ConeTypeParameterType) {
      return Value.Lent(display)
    }
    return if (isPacket(declared)) Value.Fresh(name, c.source) else Value.None
  }

  private fun describe(fn: FirFunctionSymbol<*>?, name: String): String {
    val owner = fn?.callableId?.classId?.shortClassName?.asString()
    return if (owner != null) "$owner.$name()" else "$name()"
  }

  private fun consumption(fn: FirFunctionSymbol<*>?, owner: ClassId?, name: String, p: FirValueParameter): String = when {
    owner == PACKET_BATCH && name == "add" -> "moved into a batch by PacketBatch.add()"
    owner == MEMPOOL && name == "free" -> "freed by Mempool.free()"
    fn is FirConstructorSymbol -> "passed to a @Consumes parameter of new ${owner?.shortClassName}()"
    else -> "passed to the @Consumes parameter '${p.name}' of ${describe(fn, name)}"
  }

  private fun consumesParameter(p: FirValueParameter): Boolean =
    p.hasAnnotation(CONSUMES, session) || p.hasAnnotation(OWNED, session) ||
      p.returnTypeRef.coneType.typeAnnotations().any { it == CONSUMES || it == OWNED }

  private fun ConeKotlinType.typeAnnotations(): List<ClassId> =
    customAnnotations.mapNotNull { a -> a.toAnnotationClassId(session) }

  /** A parameter typed by a type variable of a collection, map or array function of the standard library. */
  private fun storesInCollection(fn: FirFunctionSymbol<*>?, p: FirValueParameter): Boolean {
    fn ?: return false
    val pkg = fn.callableId.packageName
    if (pkg != KOTLIN && pkg != KOTLIN_COLLECTIONS && pkg != JAVA_UTIL) {
      return false
    }
    if (fn.name.asString() in READS || fn.name.asString() == "invoke") {
      return false
    }
    // The declared type of the parameter, before the call's type arguments are substituted.
    val index = fn.valueParameterSymbols.indexOfFirst { it == p.symbol }
    val original = fn.unwrapFakeOverrides().valueParameterSymbols.getOrNull(index) ?: p.symbol
    val t = original.resolvedReturnTypeRef.coneType.lowerBoundIfFlexible()
    return t is ConeTypeParameterType || (original.isVararg && t is ConeClassLikeType && t.typeArguments.any { it is ConeTypeParameterType || (it as? ConeKotlinType)?.lowerBoundIfFlexible() is ConeTypeParameterType })
  }

  private fun collectionInto(c: FirFunctionCall, fn: FirFunctionSymbol<*>?, name: String): String {
    val recv = (c.explicitReceiver as? FirQualifiedAccessExpression)?.calleeReference?.toResolvedBaseSymbol()
    val owner = fn?.callableId?.classId?.shortClassName?.asString()
    val call = if (owner != null) "$owner.$name()" else "$name()"
    return when {
      owner == "Array" && name == "set" && recv != null -> "the array '${(recv as? FirPropertySymbol)?.name ?: (recv as? FirValueParameterSymbol)?.name}'"
      recv is FirPropertySymbol -> "the collection '${recv.name}' by $call"
      recv is FirValueParameterSymbol -> "the collection '${recv.name}' by $call"
      name.endsWith("Of") || name == "to" -> "the collection made by $call"
      else -> "the collection filled by $call"
    }
  }

  // ---- lambdas -----------------------------------------------------------------------------

  /**
   * An inline lambda runs in place: once (`let`, `also`, `use`, `run`: contract EXACTLY_ONCE), at
   * most once, or any number of times (no contract: `forEachPacket`, `repeat`), iterated to a
   * fixed point like a loop body. A scope function's packet parameter (or receiver) is the
   * packet it is called on; any other packet parameter is lent.
   */
  private fun inlineLambda(l: FirAnonymousFunction, s: State, subject: Value, by: String): Pair<State?, Value> {
    val frame = LambdaFrame(l, finallies.size, s.vars.keys.toSet())
    val body = l.body ?: return Pair(s, Value.None)
    val params = l.valueParameters.filter { isPacket(it.returnTypeRef.coneType) }
    fun enter(st: State): State {
      val e = st.copy()
      val recvSym = l.receiverParameter?.symbol
      for (p in params) bind(p.symbol, p.name.asString(), p.source, subject, e, by)
      if (recvSym != null && l.receiverParameter?.typeRef?.coneType?.let { isPacket(it) } == true) {
        bind(recvSym, "this", l.source, subject, e, by)
      }
      return e
    }
    fun run(st: State): State? {
      lambdas.add(frame)
      val end = try {
        block(body, enter(st), "the end of the lambda at line ${lastLine(body)}")
      } finally {
        lambdas.removeAt(lambdas.size - 1)
      }
      val paths = ArrayList(frame.exits)
      frame.exits.clear()
      if (end != null) paths.add(Path(end, "the end of the lambda"))
      return joinAll(paths)?.also { out -> unbind(l, out) }
    }
    val kind = l.invocationKind
    val out: State? = when (kind) {
      EventOccurrencesRange.EXACTLY_ONCE -> run(s)
      EventOccurrencesRange.AT_MOST_ONCE -> joinAll(listOfNotNull(run(s)?.let { Path(it, "the lambda") }, Path(s.copy(), "a path on which $by does not call the lambda")))
      else -> {
        var entry = s.copy()
        var last: State? = null
        for (i in 0 until MAX_ITERATIONS) {
          last = run(entry)
          val next = joinAll(listOfNotNull(Path(s.copy(), "a path on which $by does not call the lambda"), last?.let { Path(it, "the end of the lambda") })) ?: break
          if (next.vars == entry.vars) break
          entry = next
        }
        if (kind == EventOccurrencesRange.AT_LEAST_ONCE || kind == EventOccurrencesRange.MORE_THAN_ONCE) last else entry
      }
    }
    return Pair(out, frame.result)
  }

  private fun bind(sym: FirBasedSymbol<*>, name: String, src: KtSourceElement?, subject: Value, e: State, by: String) {
    when (subject) {
      is Value.Var -> aliases[sym] = subject.symbol
      is Value.Fresh -> {
        infos[sym] = Info(name, src, line(src))
        e.vars[sym] = PacketState.Owned()
      }
      else -> {
        infos[sym] = Info(name, src, line(src))
        e.vars[sym] = PacketState.Borrowed
      }
    }
    if (subject !is Value.Var && subject !is Value.Fresh) {
      lentBy[sym] = by
    }
  }

  private val lentBy = HashMap<FirBasedSymbol<*>, String>()

  private fun unbind(l: FirAnonymousFunction, out: State) {
    for (p in l.valueParameters) {
      val st = out.vars.remove(p.symbol)
      if (st != null && st.mayBeOwned()) {
        leak(p.symbol, st, p.source ?: l.source, if (st is PacketState.Maybe) st.path else "the end of the lambda", atName = false)
      }
    }
    l.receiverParameter?.symbol?.let { out.vars.remove(it) }
  }

  /**
   * A lambda that may outlive the call, an anonymous object or a local function: a packet
   * variable of the enclosing function used inside it escapes; its body is analysed on its own.
   */
  private fun capturing(inner: FirElement, s: State, what: String): State {
    val outer = s.vars.keys.toSet()
    inner.accept(object : FirVisitorVoid() {
      override fun visitElement(element: FirElement) {
        if (element is FirQualifiedAccessExpression) {
          val sym = element.calleeReference.toResolvedBaseSymbol()?.let { resolve(it) }
          if (sym != null && sym in outer) {
            val name = infos[sym]?.name ?: ""
            if (captureReports.add("$name@${inner.source?.startOffset}")) {
              report(element.source, "ownership.escape", name, what, "captured packets outlive the borrow")
              val st = s.vars[sym]
              if (st != null && st !is PacketState.Borrowed) s.vars[sym] = PacketState.Consumed(line(element.source), "captured")
            }
          }
        }
        element.acceptChildren(this)
      }
    })
    if (inner is FirFunction && inner.body != null) {
      val sub = OwnershipAnalysis(session, lines)
      sub.analyse(inner)
      for (f in sub.findings()) found.putIfAbsent(f.key + "@" + f.source.startOffset, f)
    }
    return s
  }

  // ---- control flow ------------------------------------------------------------------------

  private fun joinAll(paths: List<Path>): State? {
    if (paths.isEmpty()) return null
    val keys = LinkedHashSet<FirBasedSymbol<*>>()
    paths.forEach { keys.addAll(it.state.vars.keys) }
    val out = State()
    for (k in keys) {
      var acc: PacketState? = null
      var accPath = ""
      for (p in paths) {
        val st = p.state.vars[k] ?: continue
        if (acc == null) {
          acc = st
          accPath = p.words
        } else {
          acc = join(acc, accPath, st, p.words)
          if (acc is PacketState.Owned) accPath = accPath.ifEmpty { p.words }
        }
      }
      out.vars[k] = acc!!
    }
    return out
  }

  private fun whenExpression(w: FirWhenExpression, s: State): Pair<State?, Value> {
    var cur: State? = s
    val subject = w.subjectVariable
    if (subject is FirProperty) {
      cur = declare(subject, s)
    }
    val isIf = w.source?.elementType?.toString() == "IF"
    val whenLine = line(w.source)
    val paths = ArrayList<Path>()
    var hasElse = false
    val results = ArrayList<Value>()
    for ((i, b) in w.branches.withIndex()) {
      val c = cur ?: break
      if (b.condition is FirElseIfTrueCondition) {
        hasElse = true
        val r = eval(b.result, c)
        r.first?.let { paths.add(Path(it, if (isIf) "a branch: when the condition at line $whenLine is false, no statement consumes it before it goes out of scope" else "the else branch of the when at line $whenLine")) }
        results.add(r.second)
        cur = null
        break
      }
      val cond = eval(b.condition, c)
      val afterCond = cond.first ?: run { cur = null; null } ?: break
      val (whenTrue, whenFalse) = refine(b.condition, afterCond)
      val r = eval(b.result, whenTrue)
      val words = if (isIf) {
        "a branch: when the condition at line ${line(b.condition.source)} is true, no statement consumes it before it goes out of scope"
      } else {
        "the branch at line ${line(b.source)} of the when at line $whenLine"
      }
      r.first?.let { paths.add(Path(it, words)) }
      results.add(r.second)
      cur = whenFalse
      if (i == w.branches.size - 1) {
        break
      }
    }
    val fallThrough = cur
    if (!hasElse && fallThrough != null && !exhaustive(w)) {
      paths.add(Path(fallThrough, if (isIf) {
        "a branch: when the condition at line $whenLine is false, no statement consumes it before it goes out of scope"
      } else {
        "no branch of the when at line $whenLine matches: it has no else branch; add an else branch that consumes it"
      }))
    }
    val value = results.firstOrNull { it.isPacket() } ?: Value.None
    return Pair(joinAll(paths), value)
  }

  private fun exhaustive(w: FirWhenExpression): Boolean {
    val status = w.exhaustivenessStatus
    return status is ExhaustivenessStatus.ProperlyExhaustive || status is ExhaustivenessStatus.ExhaustiveAsNothing ||
      status is ExhaustivenessStatus.RedundantlyExhaustive
  }

  /** The states when [cond] is true and when it is false: `p == null` / `p != null` refine `p`. */
  private fun refine(cond: FirExpression, s: State): Pair<State, State> {
    val c = if (cond is FirSmartCastExpression) cond.originalExpression else cond
    if (c is FirEqualityOperatorCall && c.argumentList.arguments.size == 2) {
      val (l, r) = c.argumentList.arguments
      val v = nullTested(l, r) ?: nullTested(r, l)
      if (v != null && v in s.vars) {
        val isNull = s.copy().also { it.vars[v] = PacketState.Empty }
        val notNull = s.copy().also { val st = it.vars[v]; if (st is PacketState.Owned) it.vars[v] = PacketState.Owned(false) }
        return when (c.operation) {
          FirOperation.EQ, FirOperation.IDENTITY -> Pair(isNull, notNull)
          FirOperation.NOT_EQ, FirOperation.NOT_IDENTITY -> Pair(notNull, isNull)
          else -> Pair(s.copy(), s.copy())
        }
      }
    }
    return Pair(s.copy(), s.copy())
  }

  private fun nullTested(a: FirExpression, b: FirExpression): FirBasedSymbol<*>? {
    val isNull = b is FirLiteralExpression && b.kind == ConstantValueKind.Null
    val inner = if (a is FirSmartCastExpression) a.originalExpression else a
    val sym = (inner as? FirQualifiedAccessExpression)?.calleeReference?.toResolvedBaseSymbol() ?: return null
    return if (isNull) resolve(sym) else null
  }

  private fun equality(e: FirEqualityOperatorCall, s: State): State? {
    var cur: State? = s
    for (a in e.argumentList.arguments) {
      val r = eval(a, cur ?: return null)
      cur = r.first
      val v = r.second
      if (v is Value.Fresh) useValue(v, a.source)
      // Comparing a handle (with null or another handle) does not touch the packet.
    }
    return cur
  }

  private fun booleanOperator(e: FirBooleanOperatorExpression, s: State): Pair<State?, Value> {
    val l = eval(e.leftOperand, s)
    val afterLeft = l.first ?: return Pair(null, Value.None)
    val r = eval(e.rightOperand, afterLeft.copy())
    return Pair(joinAll(listOfNotNull(Path(afterLeft, "a branch: when the condition at line ${line(e.source)} is false, no statement consumes it before it goes out of scope"), r.first?.let { Path(it, "a branch") })), Value.None)
  }

  private fun typeOperator(e: FirTypeOperatorCall, s: State): Pair<State?, Value> {
    val arg = e.argumentList.arguments.firstOrNull() ?: return Pair(s, Value.None)
    val r = eval(arg, s)
    return if (e.operation == FirOperation.AS || e.operation == FirOperation.SAFE_AS) r else {
      Pair(r.first, Value.None)
    }
  }

  private fun safeCall(e: FirSafeCallExpression, s: State): Pair<State?, Value> {
    val r = eval(e.receiver, s)
    val afterReceiver = r.first ?: return Pair(null, Value.None)
    subjects[e.checkedSubjectRef.value] = r.second
    val receiverSym = (r.second as? Value.Var)?.symbol
    val (notNull, isNull) = if (receiverSym != null) {
      Pair(afterReceiver.copy().also { val st = it.vars[receiverSym]; if (st is PacketState.Owned) it.vars[receiverSym] = PacketState.Owned(false) },
        afterReceiver.copy().also { if (it.vars[receiverSym] is PacketState.Owned) it.vars[receiverSym] = PacketState.Empty })
    } else {
      Pair(afterReceiver.copy(), afterReceiver.copy())
    }
    val sel = eval(e.selector, notNull)
    val nullPath = Path(isNull, "the path on which the receiver at line ${line(e.source)} is null")
    val out = joinAll(listOfNotNull(sel.first?.let { Path(it, "a branch") }, nullPath))
    return Pair(out, sel.second)
  }

  private fun elvis(e: FirElvisExpression, s: State): Pair<State?, Value> {
    val l = eval(e.lhs, s)
    val afterLeft = l.first ?: return Pair(null, Value.None)
    val r = eval(e.rhs, afterLeft.copy())
    val out = joinAll(listOfNotNull(Path(afterLeft, "a branch"), r.first?.let { Path(it, "a branch") }))
    val value = if (l.second.isPacket()) l.second else r.second
    return Pair(out, value)
  }

  private fun whileLoop(loop: FirWhileLoop, s: State): State? = loopFixpoint(loop, s, conditionFirst = true)

  private fun doWhileLoop(loop: FirDoWhileLoop, s: State): State? = loopFixpoint(loop, s, conditionFirst = false)

  private fun loopFixpoint(loop: FirLoop, s: State, conditionFirst: Boolean): State? {
    val condLine = line(loop.condition.source)
    val exitWords = "the loop exit: when the loop condition at line $condLine is false"
    var entry = s.copy()
    var exits: List<Path> = emptyList()
    for (i in 0 until MAX_ITERATIONS) {
      val frame = LoopFrame(loop, finallies.size, entry.vars.keys.toSet())
      loops.add(frame)
      val paths = ArrayList<Path>()
      val exitPaths = ArrayList<Path>()
      try {
        if (conditionFirst) {
          val c = eval(loop.condition, entry.copy()).first
          if (c != null) {
            val (t, f) = refine(loop.condition, c)
            exitPaths.add(Path(f, exitWords))
            block(loop.block, t, "the end of a loop iteration after line ${lastLine(loop.block)}")?.let { paths.add(Path(it, "the end of a loop iteration")) }
          }
          paths.addAll(frame.continues)
        } else {
          val b = block(loop.block, entry.copy(), "the end of a loop iteration after line ${lastLine(loop.block)}")
          val atCond = joinAll(listOfNotNull(b?.let { Path(it, "the end of a loop iteration") }) + frame.continues)
          if (atCond != null) {
            val c = eval(loop.condition, atCond).first
            if (c != null) {
              val (t, f) = refine(loop.condition, c)
              exitPaths.add(Path(f, exitWords))
              paths.add(Path(t, "the end of a loop iteration"))
            }
          }
        }
      } finally {
        loops.removeAt(loops.size - 1)
      }
      exitPaths.addAll(frame.breaks)
      exits = exitPaths
      val next = joinAll(listOf(Path(s.copy(), exitWords)) + paths) ?: break
      if (next.vars == entry.vars) break
      entry = next
    }
    return joinAll(exits)
  }

  private fun jump(target: FirElement?, s: State, isBreak: Boolean): State? {
    val frame = loops.lastOrNull { it.loop === target } ?: return null
    val l = line(currentJump)
    val through = leaveScopes(throughFinally(s, frame.finallyDepth) ?: return null, frame.outer, "the ${if (isBreak) "break" else "continue"} at line $l")
    if (isBreak) frame.breaks.add(Path(through, "the loop exit (break) after line $l")) else frame.continues.add(Path(through, "the end of a loop iteration after line $l"))
    return null
  }

  private var currentJump: KtSourceElement? = null

  /** A jump out of the scopes of the variables not in [outer]: those still owned leak. */
  private fun leaveScopes(s: State, outer: Set<FirBasedSymbol<*>>, words: String): State {
    for (v in s.vars.keys.toList()) {
      if (v in outer) continue
      val st = s.vars.getValue(v)
      if (st.mayBeOwned() && v !in aliases) {
        leak(v, st, infos[v]?.declaration, words, atName = true)
      }
      s.vars.remove(v)
    }
    return s
  }

  /** [s] after the `finally` blocks entered since depth [depth] ran (innermost first). */
  private fun throughFinally(s: State, depth: Int): State? {
    var cur: State? = s.copy()
    for (i in finallies.size - 1 downTo depth) {
      val f = finallies[i]
      val saved = ArrayList(finallies.subList(i, finallies.size))
      while (finallies.size > i) finallies.removeAt(finallies.size - 1)
      cur = cur?.let { block(f, it, "") }
      finallies.addAll(saved)
    }
    return cur
  }

  private fun returnExpression(r: FirReturnExpression, s: State): State? {
    val target = r.target.labeledElement
    val res = eval(r.result, s)
    val cur = res.first ?: return null
    current = cur
    val frame = lambdas.lastOrNull { it.lambda === target }
    if (frame != null) {
      frame.result = res.second
      val through = leaveScopes(throughFinally(cur, frame.finallyDepth) ?: return null, frame.outer, "the return at line ${line(r.source)}")
      frame.exits.add(Path(through, "the return at line ${line(r.source)}"))
      return null
    }
    if (target === function) {
      if (res.second.isPacket()) {
        if (returnsOwnership) consume(res.second, cur, "returned", r.result.source) else useValue(res.second, r.result.source)
      }
      val through = throughFinally(cur, 0) ?: return null
      val last = function.body?.statements?.lastOrNull()
      val kind = if (last === r || r.source?.startOffset == last?.source?.startOffset) "the return" else "the early return"
      leakAll(through, r.source, "$kind at line ${line(r.source)}", atDeclaration = false)
      return null
    }
    useValue(res.second, r.result.source)
    return null
  }

  private fun throwExpression(t: FirThrowExpression, s: State): State? {
    val r = eval(t.exception, s)
    val cur = r.first ?: return null
    val frame = tries.lastOrNull()
    if (frame != null) {
      frame.entries.add(cur.copy())
      return null
    }
    val through = throughFinally(cur, 0) ?: return null
    leakAll(through, t.source, "the exception path: the throw at line ${line(t.source)}", atDeclaration = false)
    return null
  }

  private fun tryExpression(t: FirTryExpression, s: State): State? {
    val finallyBlock = t.finallyBlock
    if (finallyBlock != null) finallies.add(finallyBlock)
    val paths = ArrayList<Path>()
    try {
      var frame: TryFrame? = null
      if (t.catches.isNotEmpty()) {
        val first = t.catches.first()
        frame = TryFrame(line(first.source), first.parameter.returnTypeRef.coneType.toString().substringAfterLast('/').removeSuffix("!"), s.vars.keys.toSet())
        frame.entries.add(s.copy())
        tries.add(frame)
      }
      val afterTry = try {
        block(t.tryBlock, s.copy(), "")
      } finally {
        if (frame != null) tries.removeAt(tries.size - 1)
      }
      afterTry?.let { paths.add(Path(it, "the end of the try block")) }
      if (frame != null) {
        for (entry in frame.entries) {
          for (v in frame.declaredInside) {
            val st = entry.vars[v] ?: continue
            if (st.mayBeOwned() && frame.reported.add(v)) {
              val name = infos[v]?.name
              leak(v, st, infos[v]?.declaration, "the exception path into the catch block at line ${frame.catchLine}: a call in the try block may throw ${frame.caught}, which the catch handles, and '$name' is declared in the try block; declare it before the try and free it in the catch block", atName = true)
            }
          }
        }
        val entries = frame.entries.map { st -> State(LinkedHashMap(st.vars.filterKeys { it in frame.declaredBefore })) }
        val atCatch = joinAll(entries.map { Path(it, "the path through the catch block") })
        for (c in t.catches) {
          val entry = atCatch?.copy() ?: continue
          block(c.block, entry, "")?.let { paths.add(Path(it, "the path through the catch block at line ${line(c.source)}, which handles the exception and ends without consuming it")) }
        }
      }
    } finally {
      if (finallyBlock != null) finallies.removeAt(finallies.size - 1)
    }
    val joined = joinAll(paths) ?: return null
    return if (finallyBlock != null) block(finallyBlock, joined, "") else joined
  }

  // ---- leaks and reports -------------------------------------------------------------------

  private fun leakAll(s: State, at: KtSourceElement?, words: String, atDeclaration: Boolean) {
    for ((v, st) in s.vars) {
      if (st.mayBeOwned() && v !in aliases) {
        val path = if (st is PacketState.Maybe && atDeclaration) st.path else words
        leak(v, st, if (atDeclaration) infos[v]?.declaration else at, path, atName = atDeclaration)
      }
    }
  }

  private fun leak(v: FirBasedSymbol<*>, st: PacketState, at: AbstractKtSourceElement?, path: String, atName: Boolean) {
    val info = infos[v] ?: return
    val extra = if (st is PacketState.Maybe && path != st.path) " (it is consumed at line ${st.line} on other paths only)" else ""
    report(at, "ownership.leak", "packet '${info.name}'", info.since, path + extra, atName = atName)
  }

  private fun report(at: AbstractKtSourceElement?, key: String, vararg args: Any, atName: Boolean = false) {
    val src = at ?: function.source ?: return
    val id = key + "@" + src.startOffset
    found.putIfAbsent(id, Finding(src, key, OwnershipErrors.text(key, *args), atName))
  }

  private fun line(src: AbstractKtSourceElement?): Int = if (src == null) 0 else lines.getLineByOffset(src.startOffset) + 1

  private fun lastLine(b: FirBlock): Int = if (b.source == null) 0 else lines.getLineByOffset(maxOf(b.source!!.endOffset - 1, 0)) + 1

  private fun isPacket(t: ConeKotlinType?): Boolean {
    val lower = t?.lowerBoundIfFlexible() as? ConeClassLikeType ?: return false
    return lower.lookupTag.classId == OWNED_PACKET
  }

  private companion object {
    const val MAX_ITERATIONS = 8
    const val BORROW_HINT = "declare the parameter @Consumes to take ownership"
    val API = FqName("dev.panamax.api")
    val KOTLIN = FqName("kotlin")
    val KOTLIN_COLLECTIONS = FqName("kotlin.collections")
    val JAVA_UTIL = FqName("java.util")
    val OWNED_PACKET = ClassId.topLevel(API.child(org.jetbrains.kotlin.name.Name.identifier("OwnedPacket")))
    val PACKET_BATCH = ClassId.topLevel(API.child(org.jetbrains.kotlin.name.Name.identifier("PacketBatch")))
    val MEMPOOL = ClassId.topLevel(API.child(org.jetbrains.kotlin.name.Name.identifier("Mempool")))
    val CONSUMES = ClassId.topLevel(API.child(org.jetbrains.kotlin.name.Name.identifier("Consumes")))
    val OWNED = ClassId.topLevel(API.child(org.jetbrains.kotlin.name.Name.identifier("Owned")))
    val BORROWED = ClassId.topLevel(API.child(org.jetbrains.kotlin.name.Name.identifier("Borrowed")))
    val SCOPE_FUNCTIONS = setOf("let", "also", "run", "apply", "with", "use", "takeIf", "takeUnless")
    val RESULT_OF_LAMBDA = setOf("let", "run", "with", "use")
    val RETURNS_RECEIVER = setOf("also", "apply", "takeIf", "takeUnless")
    val READS = setOf("contains", "containsKey", "containsValue", "indexOf", "lastIndexOf", "get", "getOrNull",
      "remove", "removeAll", "retainAll", "equals", "checkNotNull", "requireNotNull", "println", "print", "require", "check")
  }
}
