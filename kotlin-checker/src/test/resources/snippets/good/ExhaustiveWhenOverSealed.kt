package good.exhaustivewhenoversealed

import dev.panamax.api.*
import dev.panamax.kotlin.*

sealed interface Action
class Send(val queue: Int) : Action
class Drop(val reason: String) : Action

fun f(input: PacketBatch, out: PacketBatch, a: Action) {
  val p = input.take()
  when (a) {
    is Send -> out.add(p)
    is Drop -> p.free()
  }
}
