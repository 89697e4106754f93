package dev.panamax.audit;

/** What a member of the unsafe package does that makes it unsafe (or that it does nothing so). */
public enum Category {
  /** Linker, SymbolLookup, FunctionDescriptor, MethodHandle.invokeExact of downcalls. */
  NATIVE_DOWNCALLS("native downcalls", "calls to C functions; calls to unsafe functions"),
  /** address(), reinterpret, ofAddress, bus/physical address arithmetic, DMA address writes. */
  RAW_ADDRESS("raw address & reinterpret", "raw pointer dereferences (creating the pointer)"),
  /** Volatile and ordered access to device registers (BAR segments, VarHandles, port I/O). */
  VOLATILE_MMIO("volatile MMIO & port I/O", "raw pointer dereferences (volatile register access)"),
  /** Virtual to physical translation through /proc/self/pagemap. */
  PHYSICAL_TRANSLATION("physical-address translation", "calls to unsafe functions (virt-to-phys)"),
  /** sysfs writes, driver unbind/bind, PCI config space, ioctl. */
  DEVICE_CONTROL("sysfs/ioctl device control", "calls to C functions (ioctl); no Rust analogue for sysfs"),
  /** Methods of the unsafe package in which none of the above was found. */
  OTHER_METHODS("other methods", "(counted, not unsafe in the Rust sense)"),
  /** Lines outside methods: package, imports, type headers, fields, closing braces. */
  DECLARATIONS("declarations", "(counted; union accesses have no Java analogue)");

  private final String title;
  private final String rustAnalogue;

  Category(String title, String rustAnalogue) {
    this.title = title;
    this.rustAnalogue = rustAnalogue;
  }

  /**
   * Returns the name used in the report.
   *
   * @return e.g. "volatile MMIO"
   */
  public String title() {
    return title;
  }

  /**
   * Returns the matching category of the FreeBSD Rust e1000 port's classification.
   *
   * @return the closest Rust category
   */
  public String rustAnalogue() {
    return rustAnalogue;
  }

  /**
   * Tells whether members of this category must carry a soundness sentence.
   *
   * @return {@code true} for the five hazard categories
   */
  public boolean isHazard() {
    return this != OTHER_METHODS && this != DECLARATIONS;
  }
}
