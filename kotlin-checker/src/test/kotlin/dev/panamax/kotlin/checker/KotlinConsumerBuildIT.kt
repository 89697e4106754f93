package dev.panamax.kotlin.checker

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.concurrent.TimeUnit

/**
 * A user's Kotlin Maven build, end to end: a project generated here, outside the reactor,
 * depends on panamax-api and enables the plugin with the `kotlin-maven-plugin` block of
 * docs/kotlin.md ("Compile-time checks"), verbatim. It is built with the project's `./mvnw`
 * offline against a temporary local repository that holds this build's parent pom, api jar and
 * plugin jar, chained to the user's local repository for everything else. With a planted use
 * after send the build fails with the plugin's error at its file, line and column; fixed, it
 * passes.
 */
class KotlinConsumerBuildIT {
  @TempDir
  lateinit var temp: Path

  @Test
  fun aConsumerBuildFailsOnAUseAfterSendAndPassesWhenItIsFixed() {
    val repo = temp.resolve("repo")
    deploy(repo)
    val project = temp.resolve("consumer")
    writeProject(project)
    val sources = project.resolve("src/main/kotlin/demo")
    Files.createDirectories(sources)

    Files.writeString(sources.resolve("Send.kt"), BUGGY)
    val buggy = mvn(project, repo)
    println("Consumer build with the planted use after send (exit ${buggy.first}):")
    buggy.second.lines().filter { it.startsWith("[ERROR] file:") }.distinct().forEach { println("  $it") }
    assertTrue(buggy.first != 0, buggy.second)
    assertTrue(buggy.second.contains(EXPECTED), buggy.second)
    assertTrue(buggy.second.contains("BUILD FAILURE"), buggy.second)

    Files.writeString(sources.resolve("Send.kt"), FIXED)
    val fixed = mvn(project, repo)
    assertEquals(0, fixed.first, fixed.second)
    assertTrue(fixed.second.contains("BUILD SUCCESS"), fixed.second)
  }

  /** The parent pom, the api jar and the plugin jar of this build, as a local repository. */
  private fun deploy(repo: Path) {
    put(repo, "panamax-parent", ROOT.resolve("pom.xml"), null)
    put(repo, "panamax-api", ROOT.resolve("api/pom.xml"), jar("api/target/panamax-api-$VERSION.jar"))
    put(repo, "panamax-kotlin-checker", ROOT.resolve("kotlin-checker/pom.xml"),
      Path.of(System.getProperty("panamax.pluginJar", ROOT.resolve("kotlin-checker/target/panamax-kotlin-checker-$VERSION.jar").toString())))
  }

  private fun jar(relative: String): Path {
    val built = ROOT.resolve(relative)
    if (Files.isRegularFile(built)) return built
    val local = Path.of(System.getProperty("panamax.localRepository", Path.of(System.getProperty("user.home"), ".m2/repository").toString()))
    return local.resolve("dev/panamax/panamax-api/$VERSION/panamax-api-$VERSION.jar")
  }

  private fun put(repo: Path, artifact: String, pom: Path, jar: Path?) {
    val dir = repo.resolve("dev/panamax/$artifact/$VERSION")
    Files.createDirectories(dir)
    Files.copy(pom, dir.resolve("$artifact-$VERSION.pom"), StandardCopyOption.REPLACE_EXISTING)
    if (jar != null) {
      assertTrue(Files.isRegularFile(jar), "not packaged yet: $jar")
      Files.copy(jar, dir.resolve("$artifact-$VERSION.jar"), StandardCopyOption.REPLACE_EXISTING)
    }
  }

  /** The consumer's pom: the plugin block of docs/kotlin.md, verbatim. */
  private fun writeProject(project: Path) {
    val doc = Files.readString(ROOT.resolve("docs/kotlin.md"))
    val heading = doc.indexOf("## Compile-time checks")
    assertTrue(heading >= 0, "docs/kotlin.md has no 'Compile-time checks' section")
    val start = doc.indexOf("```xml\n", heading) + "```xml\n".length
    val plugin = doc.substring(start, doc.indexOf("```", start))
    Files.createDirectories(project)
    Files.writeString(project.resolve("pom.xml"), """
      <?xml version="1.0" encoding="UTF-8"?>
      <project xmlns="http://maven.apache.org/POM/4.0.0">
        <modelVersion>4.0.0</modelVersion>
        <groupId>example</groupId>
        <artifactId>kotlin-consumer</artifactId>
        <version>1</version>
        <properties>
          <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          <kotlin.compiler.daemon>false</kotlin.compiler.daemon>
        </properties>
        <dependencies>
          <dependency>
            <groupId>dev.panamax</groupId>
            <artifactId>panamax-api</artifactId>
            <version>$VERSION</version>
          </dependency>
          <dependency>
            <groupId>org.jetbrains.kotlin</groupId>
            <artifactId>kotlin-stdlib</artifactId>
            <version>2.4.21</version>
          </dependency>
        </dependencies>
        <build>
          <plugins>
      """.trimIndent() + "\n" + plugin + """
          </plugins>
        </build>
      </project>
      """.trimIndent() + "\n")
  }

  private fun mvn(project: Path, repo: Path): Pair<Int, String> {
    val tail = System.getProperty("panamax.localRepository", Path.of(System.getProperty("user.home"), ".m2/repository").toString())
    val pb = ProcessBuilder(
      ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-o",
      "-Dmaven.repo.local=$repo", "-Dmaven.repo.local.tail=$tail", "compile",
    ).directory(project.toFile()).redirectErrorStream(true)
    pb.environment()["JAVA_HOME"] = System.getProperty("java.home")
    pb.environment().remove("MAVEN_OPTS")
    pb.environment().remove("MAVEN_ARGS")
    val p = pb.start()
    val out = String(p.inputStream.readAllBytes())
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "consumer build timed out")
    return Pair(p.exitValue(), out)
  }

  private companion object {
    val ROOT: Path = Path.of(System.getProperty("panamax.root", "..")).toAbsolutePath().normalize()
    val VERSION: String = System.getProperty("panamax.version", "0.1.0-SNAPSHOT")

    val BUGGY = """
      package demo

      import dev.panamax.api.Mempool
      import dev.panamax.api.NetworkDevice
      import dev.panamax.api.PacketBatch

      fun send(device: NetworkDevice, pool: Mempool, batch: PacketBatch) {
        val p = pool.alloc(60)
        batch.add(p)
        device.txBatch(0, batch)
        p.putByte(0, 1)
        batch.freeAll()
      }
      """.trimIndent() + "\n"

    val FIXED = BUGGY.replace("  batch.add(p)\n  device.txBatch(0, batch)\n  p.putByte(0, 1)\n", "  p.putByte(0, 1)\n  batch.add(p)\n  device.txBatch(0, batch)\n")

    const val EXPECTED = "Send.kt:11:3 [ownership.use.after.consume] packet 'p' is used after it was consumed at" +
      " line 9 (moved into a batch by PacketBatch.add()); a consumed packet handle is dead and must not be touched again"
  }
}
