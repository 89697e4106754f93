/**
 * virtio-net driver, legacy (virtio 0.9.5 / 1.0 legacy interface, port I/O) and modern (virtio
 * 1.0 PCI capabilities, memory BARs), with split virtqueues. Section numbers refer to the
 * Virtual I/O Device (VIRTIO) Version 1.0 specification.
 */
@NullMarked
package dev.panamax.impl.virtio;

import org.jspecify.annotations.NullMarked;
