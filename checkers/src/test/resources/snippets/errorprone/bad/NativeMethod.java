package dev.panamax.impl.virtio;
class NativeMethod {
  native int ioctl(int fd, long request); // error: RestrictedNativeAccess
}
