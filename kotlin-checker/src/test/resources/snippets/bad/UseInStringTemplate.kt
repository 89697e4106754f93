package bad.useinstringtemplate

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): String {
  val p = pool.alloc(64)
  p.free()
  return "freed $p" // error: ownership.use.after.consume
}
