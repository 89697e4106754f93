package dev.panamax.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodeLinesTest {
  @Test
  void blankAndCommentLinesAreNotCode() {
    String src =
        """
        package a;

        // a line comment
        /**
         * Javadoc
         */
        class A { // trailing comment: still code
          /* block */ int x; /* block again */
          /*
           int notCode;
          */
          int y; /* opens
          still comment */ int z;
        }
        """;
    CodeLines c = CodeLines.ofJava(src);
    assertTrue(c.isCode(1));
    assertFalse(c.isCode(2));
    assertFalse(c.isCode(3));
    assertFalse(c.isCode(4));
    assertFalse(c.isCode(5));
    assertFalse(c.isCode(6));
    assertTrue(c.isCode(7));
    assertTrue(c.isCode(8));
    assertFalse(c.isCode(9));
    assertFalse(c.isCode(10));
    assertFalse(c.isCode(11));
    assertTrue(c.isCode(12));
    assertTrue(c.isCode(13));
    assertTrue(c.isCode(14));
    assertEquals(6, c.total());
  }

  @Test
  void commentMarkersInLiteralsAreText() {
    String src =
        """
        String a = "/* not a comment";
        int b;
        String c = "// nor this", d = '"' + "\\"/*";
        int e;
        String f = \"""
            /* text block line
            \""";
        int g;
        """;
    CodeLines c = CodeLines.ofJava(src);
    assertEquals(8, c.total());
  }

  @Test
  void commentOnlyLinesWithCodeAfterAClosedBlockCount() {
    CodeLines c = CodeLines.ofJava("/* a */\n/* b */ x();\n  /* c\n */\n");
    assertFalse(c.isCode(1));
    assertTrue(c.isCode(2));
    assertFalse(c.isCode(3));
    assertFalse(c.isCode(4));
  }

  @Test
  void kotlinBlockCommentsNestJavaOnesDoNot() {
    String src = "/* outer /* inner */ still comment */\nval x = 1\n";
    assertEquals(1, CodeLines.ofKotlin(src).total());
    assertEquals(2, CodeLines.ofJava(src).total());
  }
}
