package dev.panamax.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SoundnessTest {
  @Test
  void takesTheSentenceStartingWithSound() {
    assertEquals(
        "Sound: offset is checked to lie in this block.",
        Soundness.fromComment(
            " Writes the address. Sound: {@code offset} is checked to lie\n in this block. More.\n"
                + " @param x ignored Sound: no."));
  }

  @Test
  void linksBecomeTheirLabelOrReference() {
    assertEquals(
        "Sound for the same reason as writeBusAddressLe64.",
        Soundness.fromComment("Low half. Sound for the same reason as {@link #writeBusAddressLe64}."));
    assertEquals(
        "Sound: see allocate(Arena, long, Path).",
        Soundness.fromComment("Sound: see {@link #allocate(Arena,\n long, Path)}."));
    assertEquals(
        "Sound: see Mmio.map and the map.",
        Soundness.fromComment("Sound: see {@link Mmio#map} and {@link Mmio#map(Path) the map}."));
  }

  @Test
  void noSentenceMeansNull() {
    assertNull(Soundness.fromComment("Returns the size. Soundness is not discussed."));
    assertNull(Soundness.fromComment("A sound idea."));
  }

  @Test
  void fallsBackToTheCommentAbove() {
    String src = "class A {\n  // Helper. Sound: pure arithmetic.\n  long f() { return 1; }\n}\n";
    assertEquals("Sound: pure arithmetic.", Soundness.find(null, src, src.indexOf("long f")));
    String block = "class A {\n  /* Sound: checked. */\n  long f() { return 1; }\n}\n";
    assertEquals("Sound: checked.", Soundness.find(null, block, block.indexOf("long f")));
  }
}
