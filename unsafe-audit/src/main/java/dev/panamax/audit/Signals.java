package dev.panamax.audit;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Decides a member's category from what its source contains: the names of the methods it calls
 * or references, the names it mentions, its string literals, its own name and modifiers. Each
 * match is one hit for a category; the category with the most hits wins, ties going to the
 * earlier one in {@link #PRIORITY}. A member with no hit is {@link Category#OTHER_METHODS}.
 */
final class Signals {
  private Signals() {}

  /** Tie-break order: the more specific hazard first. */
  static final List<Category> PRIORITY =
      List.of(
          Category.NATIVE_DOWNCALLS,
          Category.PHYSICAL_TRANSLATION,
          Category.DEVICE_CONTROL,
          Category.VOLATILE_MMIO,
          Category.RAW_ADDRESS);

  private static final Set<String> NATIVE_CALLS =
      Set.of(
          "downcallHandle",
          "upcallStub",
          "nativeLinker",
          "libraryLookup",
          "loaderLookup",
          "defaultLookup",
          "invokeExact",
          "invokeWithArguments",
          "captureCallState",
          "loadLibrary");
  private static final Set<String> NATIVE_NAMES =
      Set.of("Linker", "SymbolLookup", "FunctionDescriptor");

  private static final Set<String> ADDRESS_CALLS =
      Set.of("address", "reinterpret", "ofAddress", "withTargetLayout");
  private static final Set<String> ADDRESS_NAMES = Set.of("ADDRESS", "ADDRESS_UNALIGNED");

  private static final Set<String> MMIO_CALLS =
      Set.of(
          "getVolatile",
          "setVolatile",
          "getAcquire",
          "setRelease",
          "getOpaque",
          "setOpaque",
          "compareAndSet",
          "compareAndExchange",
          "fullFence",
          "acquireFence",
          "releaseFence",
          "storeStoreFence",
          "loadLoadFence");
  private static final Set<String> MMIO_NAMES = Set.of("Mmio", "PortIo");

  private static final Set<String> TRANSLATION_CALLS =
      Set.of("translate", "virtToPhys", "physicalAddress", "toPhysical");

  private static final Set<String> CONTROL_CALLS =
      Set.of("ioctl", "unbind", "bind", "writeSysfs", "readConfig", "writeConfig");
  private static final Set<String> CONTROL_NAMES = Set.of("PciControl", "Vfio");

  /** Bus, DMA and physical addresses: memory addresses, not PCI bus/device/function names. */
  static boolean isMemoryAddressName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("busaddress") || n.contains("dmaaddress") || n.contains("physaddress");
  }

  /** Hits per category, with the evidence. */
  static final class Tally {
    private final Map<Category, Integer> hits = new EnumMap<>(Category.class);
    private final Set<String> evidence = new TreeSet<>();

    private void hit(Category c, String what) {
      hits.merge(c, 1, Integer::sum);
      evidence.add(what);
    }

    /** A call or method reference to {@code name}. */
    void call(String name) {
      if (NATIVE_CALLS.contains(name)) {
        hit(Category.NATIVE_DOWNCALLS, "call " + name);
      }
      if (ADDRESS_CALLS.contains(name) || isMemoryAddressName(name)) {
        hit(Category.RAW_ADDRESS, "call " + name);
      }
      if (MMIO_CALLS.contains(name)) {
        hit(Category.VOLATILE_MMIO, "call " + name);
      }
      if (TRANSLATION_CALLS.contains(name)) {
        hit(Category.PHYSICAL_TRANSLATION, "call " + name);
      }
      if (CONTROL_CALLS.contains(name)
          || name.toLowerCase(Locale.ROOT).contains("sysfs")
          || name.contains("Config")) {
        hit(Category.DEVICE_CONTROL, "call " + name);
      }
    }

    /** A simple name mentioned in the code: a type, a constant, a variable. */
    void name(String name) {
      if (NATIVE_NAMES.contains(name)) {
        hit(Category.NATIVE_DOWNCALLS, "uses " + name);
      }
      if (MMIO_NAMES.contains(name)) {
        hit(Category.VOLATILE_MMIO, "uses " + name);
      }
      if (name.toLowerCase(Locale.ROOT).contains("pagemap")) {
        hit(Category.PHYSICAL_TRANSLATION, "uses " + name);
      }
      if (CONTROL_NAMES.contains(name)) {
        hit(Category.DEVICE_CONTROL, "uses " + name);
      }
    }

    /** A qualified name such as {@code ValueLayout.ADDRESS}. */
    void qualified(String name) {
      for (String a : ADDRESS_NAMES) {
        if (name.endsWith("ValueLayout." + a)) {
          hit(Category.RAW_ADDRESS, "uses " + name);
        }
      }
    }

    /** A string literal. */
    void string(String value) {
      if (value.contains("pagemap")) {
        hit(Category.PHYSICAL_TRANSLATION, "\"" + value + "\"");
      }
      if (value.contains("/resource") || value.contains("/dev/port")) {
        hit(Category.VOLATILE_MMIO, "\"" + value + "\"");
      }
      if (value.startsWith("/sys/")
          || value.contains("driver_override")
          || value.contains("unbind")
          || value.contains("new_id")
          || value.contains("/config")
          || value.contains("/dev/vfio")) {
        hit(Category.DEVICE_CONTROL, "\"" + value + "\"");
      }
    }

    /** The member's own name and whether it is {@code native}. */
    void self(String name, boolean isNative) {
      if (isNative) {
        hit(Category.NATIVE_DOWNCALLS, "native method");
      }
      if (isMemoryAddressName(name)) {
        hit(Category.RAW_ADDRESS, "named " + name);
      }
    }

    /** The member has no hit and its type has a hint: count the hint once. */
    void hint(Category c, String type) {
      if (hits.isEmpty()) {
        hit(c, "type " + type);
      }
    }

    /** Returns the winning category, or {@code null} when nothing matched. */
    @Nullable Category category() {
      Category best = null;
      int most = 0;
      for (Category c : PRIORITY) {
        int n = hits.getOrDefault(c, 0);
        if (n > most) {
          best = c;
          most = n;
        }
      }
      return best;
    }

    /** Returns the evidence, sorted. */
    List<String> evidence() {
      return List.copyOf(evidence);
    }
  }
}
