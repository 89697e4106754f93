package dev.panamax.api;

/**
 * How a PCI device is given the addresses of DMA memory ({@link DeviceOptions#withDma}).
 *
 * <ul>
 *   <li>{@link #VFIO}: through VFIO and the IOMMU. The device is bound to vfio-pci and sees I/O
 *       virtual addresses that reach only memory Panamax mapped for it: a wrong descriptor
 *       faults in the IOMMU instead of writing into another program's memory, and when the
 *       process dies the kernel stops the device and drops the mappings. Works without root
 *       once the device was granted to a user ({@code ./panamax bind PCI --user NAME}).
 *   <li>{@link #PHYSICAL}: physical addresses from {@code /proc/self/pagemap}, as root, with the
 *       device unbound from its kernel driver through sysfs. Nothing but the driver's own care
 *       confines the device's DMA. For machines without an IOMMU and for devices that bypass it
 *       (legacy virtio).
 *   <li>{@link #AUTO} (the default): VFIO when the device is in an IOMMU group and can use it,
 *       otherwise physical, announced once with the reason.
 * </ul>
 */
public enum DmaMode {
  /** VFIO when the device can use the IOMMU, else physical addresses with a warning. */
  AUTO,
  /** VFIO and the IOMMU; fails when the device has no usable IOMMU group. */
  VFIO,
  /** Physical addresses, unconfined; needs root. */
  PHYSICAL;

  /**
   * Parses a command-line value: {@code auto}, {@code vfio} or {@code physical}.
   *
   * @param text the value, in any case
   * @return the mode
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static DmaMode parse(String text) {
    for (DmaMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("DMA mode \"" + Texts.echo(text)
        + "\": must be auto, vfio or physical");
  }
}
