package dev.panamax.impl.mempool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The one thread allowed to use a mempool or a device queue. The first thread that uses it
 * becomes its user; while that thread is alive every other thread is refused, until {@link
 * #release()} or the user's end.
 *
 * <p>Cost on the data path: {@link #check(String, String)} is one plain field read compared
 * with {@code Thread.currentThread()} (an intrinsic). The slow path claims a free (or orphaned)
 * object with a compare-and-set, so two threads that start at once cannot both win; it runs
 * once per change of thread, never per packet.
 */
public final class UserThread {
  private static final VarHandle USER;

  static {
    try {
      USER = MethodHandles.lookup().findVarHandle(UserThread.class, "user", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Null before the first use and after {@link #release()}. */
  private @Nullable Thread user;

  /**
   * Checks that the calling thread is the user, claiming it first if there is none or the user
   * ended.
   *
   * @param what names the pool or queue, e.g. "mempool 'rx'"
   * @param operation the refused operation, e.g. "alloc"
   * @throws IllegalStateException naming both threads if another live thread is the user
   */
  public void check(String what, String operation) {
    if (user != Thread.currentThread()) {
      claim(what, operation);
    }
  }

  private void claim(String what, String operation) {
    final Thread current = Thread.currentThread();
    Thread seen = (Thread) USER.getVolatile(this);
    // A thread seen as ended made all its writes visible to the one that saw it (JLS 17.4.4).
    while (seen == null || !seen.isAlive()) {
      if (USER.compareAndSet(this, seen, current)) {
        return;
      }
      seen = (Thread) USER.getVolatile(this);
    }
    if (seen != current) {
      throw new IllegalStateException(what + ": " + operation + " on thread \"" + current.getName()
          + "\" refused: thread \"" + seen.getName() + "\" uses it (one thread each; the user"
          + " hands it over with releaseThread())");
    }
  }

  /** Lets the next thread that uses the object become its user. */
  public void release() {
    USER.setVolatile(this, (Thread) null);
  }

  /**
   * Returns the current user, for messages and tests.
   *
   * @return the user thread, or null if there is none
   */
  public @Nullable Thread user() {
    return (Thread) USER.getVolatile(this);
  }
}
