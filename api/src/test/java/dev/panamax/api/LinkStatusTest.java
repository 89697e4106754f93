package dev.panamax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LinkStatusTest {
  @Test
  void describesSpeedOnlyWhenKnown() {
    assertEquals("up 1000 Mbit/s", new LinkStatus(true, 1000).toString());
    assertEquals("up", new LinkStatus(true, 0).toString());
    assertEquals("down", LinkStatus.DOWN.toString());
  }
}
