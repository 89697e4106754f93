package dev.panamax.impl.vfio;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.panamax.impl.device.InterruptLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Vector 0 of one of a VFIO device's interrupt types, signalled on an eventfd
 * (VFIO_DEVICE_SET_IRQS with DATA_EVENTFD | ACTION_TRIGGER, vfio.h). MSI-X is preferred, then
 * MSI, then the legacy INTx line, which vfio-pci masks after each interrupt until it is
 * unmasked (ACTION_UNMASK). Used by one receiving thread; a wait allocates nothing.
 */
final class VfioInterrupt implements InterruptLine {
  static final int INTX = 0;
  static final int MSI = 1;
  static final int MSIX = 2;
  /** VFIO_PCI_REQ_IRQ_INDEX: the kernel asks for the device back (it is being removed). */
  static final int REQ = 4;
  private static final int IRQ_INFO_EVENTFD = 1;
  private static final int SET_DATA_NONE = 1;
  private static final int SET_DATA_EVENTFD = 1 << 2;
  private static final int SET_ACTION_UNMASK = 1 << 4;
  private static final int SET_ACTION_TRIGGER = 1 << 5;
  private static final String[] NAMES = {"INTx", "MSI", "MSI-X", "error", "device request"};

  private final VfioDevice device;
  private final int index;
  private final int eventfd;
  private final Arena arena = Arena.ofShared();
  private final Sys.Waiter waiter;
  private final MemorySegment unmask;
  private boolean closed;

  private VfioInterrupt(VfioDevice device, int index, int eventfd) {
    this.device = device;
    this.index = index;
    this.eventfd = eventfd;
    this.waiter = new Sys.Waiter(eventfd, arena);
    this.unmask = irqSet(arena, SET_DATA_NONE | SET_ACTION_UNMASK, index, 1, 0);
  }

  /**
   * Routes the first interrupt type the device offers, of those wanted, to a new eventfd.
   *
   * @param device the open device
   * @param wanted interrupt types in order of preference ({@link #MSIX}, {@link #MSI}, {@link #INTX})
   * @return the interrupt
   * @throws IOException if the device offers none of them or VFIO refuses
   */
  static VfioInterrupt open(VfioDevice device, int... wanted) throws IOException {
    for (int index : wanted) {
      if (vectors(device, index) > 0) {
        final int eventfd = Sys.eventfd();
        try (Arena call = Arena.ofConfined()) {
          Sys.ioctl(device.fd(), VfioDevice.DEVICE_SET_IRQS,
              irqSet(call, SET_DATA_EVENTFD | SET_ACTION_TRIGGER, index, 1, eventfd),
              "VFIO_DEVICE_SET_IRQS " + NAMES[index]);
          return new VfioInterrupt(device, index, eventfd);
        } catch (IOException | RuntimeException e) {
          Sys.closeQuietly(eventfd);
          throw e;
        }
      }
    }
    throw new IOException("the device offers no usable interrupt");
  }

  /** Vectors of an interrupt type that can signal an eventfd (VFIO_DEVICE_GET_IRQ_INFO). */
  private static int vectors(VfioDevice device, int index) throws IOException {
    try (Arena call = Arena.ofConfined()) {
      final MemorySegment info = call.allocate(16, 4);
      info.set(JAVA_INT, 0, 16);
      info.set(JAVA_INT, 8, index);
      Sys.ioctl(device.fd(), VfioDevice.DEVICE_GET_IRQ_INFO, info, "VFIO_DEVICE_GET_IRQ_INFO");
      return (info.get(JAVA_INT, 4) & IRQ_INFO_EVENTFD) != 0 ? info.get(JAVA_INT, 12) : 0;
    }
  }

  /** struct vfio_irq_set for vector 0: argsz, flags, index, start, count, then one eventfd. */
  private static MemorySegment irqSet(Arena arena, int flags, int index, int count, int eventfd) {
    final boolean withFd = (flags & SET_DATA_EVENTFD) != 0;
    final MemorySegment set = arena.allocate(withFd ? 24 : 20, 4);
    set.set(JAVA_INT, 0, (int) set.byteSize());
    set.set(JAVA_INT, 4, flags);
    set.set(JAVA_INT, 8, index);
    set.set(JAVA_INT, 12, 0);
    set.set(JAVA_INT, 16, count);
    if (withFd) {
      set.set(JAVA_INT, 20, eventfd);
    }
    return set;
  }

  /**
   * Tells whether this is the legacy INTx line.
   *
   * @return {@code true} for INTx
   */
  boolean isIntx() {
    return index == INTX;
  }

  @Override
  public boolean await(int timeoutMillis) {
    try {
      return waiter.await(timeoutMillis) > 0;
    } catch (IOException e) {
      throw new UncheckedIOException(device.address() + ": wait for an interrupt: " + e.getMessage(), e);
    }
  }

  @Override
  public void rearm() {
    if (index != INTX) {
      return; // MSI and MSI-X are edge-triggered: nothing is masked
    }
    try {
      Sys.ioctl(device.fd(), VfioDevice.DEVICE_SET_IRQS, unmask, "VFIO_DEVICE_SET_IRQS unmask INTx");
    } catch (IOException e) {
      throw new UncheckedIOException(device.address() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Arena call = Arena.ofConfined()) {
      Sys.ioctl(device.fd(), VfioDevice.DEVICE_SET_IRQS,
          irqSet(call, SET_DATA_NONE | SET_ACTION_TRIGGER, index, 0, -1), "VFIO_DEVICE_SET_IRQS off");
    } catch (IOException e) {
      // Closing the device below tears the interrupt down as well.
    }
    Sys.closeQuietly(eventfd);
    arena.close();
  }

  @Override
  public String describe() {
    return NAMES[index] + " through VFIO";
  }
}
