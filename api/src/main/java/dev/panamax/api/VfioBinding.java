package dev.panamax.api;

import org.jspecify.annotations.Nullable;

/**
 * A PCI device bound to vfio-pci by {@link NetworkDevice#bindToVfio}, ready to be opened through
 * the IOMMU, by the granted user without root.
 *
 * @param address the canonical PCI address, e.g. {@code 0000:01:00.0}
 * @param iommuGroup the device's IOMMU group; its character device is {@code /dev/vfio/<group>}
 * @param originalDriver the kernel driver {@link NetworkDevice#unbindFromVfio} binds again, or
 *     {@code null} if none is known (the device had no driver, or was bound to vfio-pci before)
 * @param user the user granted the device, or {@code null} if only root may open it
 * @param dmaBytes the DMA memory one open of the device with {@link DeviceOptions#defaults()}
 *     maps into the IOMMU (descriptor rings and receive buffers, in whole 2 MiB pages); the
 *     IOMMU pins it, and for a user without CAP_IPC_LOCK it counts against the locked-memory
 *     limit ({@code ulimit -l}), together with the application's own pools
 */
public record VfioBinding(String address, int iommuGroup, @Nullable String originalDriver,
    @Nullable String user, long dmaBytes) {}
