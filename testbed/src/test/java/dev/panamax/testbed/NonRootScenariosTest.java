package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Non-root after one-time set-up ({@code scenarios/nonroot.sh}): as root, {@code ./panamax bind
 * --user nobody} gives an e1000 and an igb to vfio-pci; as nobody with no capabilities, recv on
 * the e1000 verifies every frame pktgen on the igb sends, both through the IOMMU; {@code
 * ./panamax unbind} gives the NICs back to e1000 and igb.
 */
class NonRootScenariosTest {
  private static final int N = 300;
  private static final String E1000 = "0000:01:00.0";
  private static final String IGB = "0000:02:00.0";
  private static final long MIB_IN_KB = 1024;

  @Test
  void afterBindNobodyRunsRecvAndPktgenThroughTheIommuAndUnbindRestoresTheDrivers()
      throws Exception {
    final VmRunner.Result r = VmRunner.run("e1000,igb", 600,
        "testbed/scenarios/nonroot.sh");
    assertEquals(0, r.exitCode(), r.output());

    // Before bind: nobody is refused and told what to run; the NIC keeps its driver.
    r.find("^RESULT refused=1 driver=e1000$");
    r.find("^panamax pktgen: " + E1000 + ": check privileges: running as uid 65534; binding the"
        + " device to vfio-pci needs root; or, as root, grant it to this user once: \\./panamax"
        + " bind " + E1000 + " --user NAME$");

    // bind: one line per step, then the memlock figures and what nobody may run.
    final String e1000Group = r.find("^bind " + E1000 + ": bound to vfio-pci \\(was bound to"
        + " e1000\\), IOMMU group (\\d+)$");
    final String igbGroup = r.find("^bind " + IGB + ": bound to vfio-pci \\(was bound to igb\\),"
        + " IOMMU group (\\d+)$");
    r.find("^bind " + E1000 + ": /run/panamax/" + E1000 + ".bound records kernel driver e1000 for"
        + " './panamax unbind'$");
    r.find("^bind " + IGB + ": /run/panamax/" + IGB + ".bound records kernel driver igb for"
        + " './panamax unbind'$");
    r.find("^bind " + E1000 + ": /dev/vfio/" + e1000Group + " owned by nobody \\(uid 65534\\),"
        + " mode 0600$");
    r.find("^bind " + IGB + ": /dev/vfio/" + igbGroup + " owned by nobody \\(uid 65534\\),"
        + " mode 0600$");
    r.find("^bind /run/panamax: mode 1777 \\(was 0755\\): every user may create lock files and"
        + " records of apps there, and remove only their own$");
    r.find("^bind " + E1000 + ": /run/panamax/" + E1000 + ".lock owned by nobody \\(uid 65534\\)$");
    r.find("^bind /dev/hugepages/panamax: mode 1777 \\(was 0755\\): every user may create DMA"
        + " memory files there, and remove only their own$");
    r.find("^bind memlock: " + E1000 + " pins 18 MiB per open \\(rings and receive buffers,"
        + " default options\\): recv needs 18 MiB, pktgen 26 MiB \\(with its 8 MiB packet pool\\);"
        + " fwd needs what its two devices pin$");
    r.find("^bind memlock: the IOMMU pins this memory and counts it against nobody's"
        + " locked-memory limit \\(often 8 MiB\\); 44 MiB covers any one app on these devices: as"
        + " root, 'ulimit -l 45056' in the shell that starts the app as nobody \\(setpriv, su and"
        + " runuser keep it\\), or 'nobody - memlock 45056' in /etc/security/limits.d/panamax.conf"
        + " for nobody's logins$");
    r.find("^bind: nobody may now run \\./panamax pktgen, recv and fwd on " + E1000 + " " + IGB
        + " without root or capabilities; '\\./panamax unbind " + E1000 + " " + IGB + "' gives"
        + " them back to the kernel$");
    r.find("^RESULT bind=0 e1000=vfio-pci igb=vfio-pci$");

    // bind again: nothing to change, same result.
    r.find("^RESULT bind-again=0$");
    r.find("^AGAIN bind " + E1000 + ": already bound to vfio-pci, IOMMU group " + e1000Group + "$");
    r.find("^AGAIN bind /run/panamax: mode 1777 already$");
    r.find("^FILE /dev/vfio/" + e1000Group + " nobody 600$");
    r.find("^FILE /dev/vfio/" + igbGroup + " nobody 600$");
    r.find("^FILE /run/panamax root 1777$");
    r.find("^FILE /run/panamax/" + IGB + ".lock nobody 644$");
    r.find("^FILE /dev/hugepages/panamax root 1777$");
    r.find("^RECORD driver=e1000$");
    r.find("^RECORD user=nobody$");

    // Under the default 8 MiB limit the receive buffers cannot be pinned: refused, NIC unharmed.
    r.find("^RESULT memlock=1 driver=vfio-pci$");
    r.find("^panamax recv: " + E1000 + ": map DMA memory: mapping 16 MiB of hugepages in"
        + " /dev/hugepages into the IOMMU failed: VFIO_IOMMU_MAP_DMA: ENOMEM .*counts against the"
        + " locked-memory limit \\(now 8388608 8388608 bytes\\): raise it for this user");

    // With the limit bind printed, nobody without capabilities runs both apps.
    r.find("^STEP run as nobody \\(limit 45056 KiB\\)");
    r.find("^PROC recv Uid:\\s+65534\\s+65534\\s+65534\\s+65534$");
    for (String set : new String[] {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
      r.find("^PROC recv " + set + ":\\s+0000000000000000$");
    }
    final long recvKb = r.number("^MEMLOCK recv (\\d+) kB$");
    final long pktgenKb = r.number("^MEMLOCK pktgen (\\d+) kB$");
    assertEquals(18 * MIB_IN_KB, recvKb, "recv's locked memory: rings 2 MiB + receive buffers 16 MiB");
    assertEquals(26 * MIB_IN_KB, pktgenKb, "pktgen's locked memory: 18 MiB + its 8 MiB pool");
    assertTrue(recvKb + pktgenKb <= 45056, "both fit the printed limit");
    r.find("^RESULT pktgen=0$");
    r.find("^RESULT recv=0$");
    assertEquals("recv: " + E1000 + ": DMA through the IOMMU: vfio-pci, IOMMU group " + e1000Group,
        r.find("^RECV (.*)$"), "recv's first line");
    assertEquals("pktgen: " + IGB + ": DMA through the IOMMU: vfio-pci, IOMMU group " + igbGroup,
        r.find("^PKTGEN (.*)$"), "pktgen's first line");
    r.find("^RECV recv summary: valid " + N + ", corrupt 0, distinct " + N + " of " + N
        + ", duplicates 0, out of range 0, lost 0, reordered 0, gaps 0, next expected " + N
        + "; device counters: rx " + N + " packets");
    r.find("^PKTGEN pktgen: sent " + N + " packets; device counters: tx " + N + " packets");
    // The apps closed without a root-only step: NICs still with vfio-pci, only bind's records.
    r.find("^STATE after apps e1000=vfio-pci igb=vfio-pci records=" + E1000 + ".bound " + IGB
        + ".bound $");

    // unbind gives both NICs back; a second unbind is refused.
    r.find("^unbind " + E1000 + ": unbound from vfio-pci, bound to e1000 again$");
    r.find("^unbind " + IGB + ": unbound from vfio-pci, bound to igb again$");
    r.find("^unbind " + IGB + ": /run/panamax/" + IGB + ".bound deleted, /run/panamax/" + IGB
        + ".lock owned by root$");
    r.find("^RESULT unbind=0 e1000=e1000 igb=igb$");
    r.find("^RESULT unbind-again=1$");
    r.find("^panamax unbind: " + E1000 + ": check binding: not bound by '\\./panamax bind' \\(no"
        + " /run/panamax/" + E1000 + ".bound\\); it is bound to e1000, nothing to undo$");
    r.find("^STATE end hugepages_free=256/256 vfio=vfio $");
  }
}
