import dev.panamax.api.*;
class ApiUnavailableTypesIgnored {
  Object o;
  void run(java.util.List<String> names) {
    o = names;
    names.forEach(n -> System.out.println(n));
  }
}
