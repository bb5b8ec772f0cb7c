/*
 * The test cluster for newsdex's SolrCloud side.
 *
 * Starts Solr's MiniSolrCloudCluster (solr-test-framework): an embedded ZooKeeper and
 * NODES Solr nodes (Jetty, 127.0.0.1 only), uploads the configset newsdex ships
 * (src/solr/configset), creates one collection of SHARDS shards x REPLICAS replicas, writes
 * the nodes' base URLs to STATE/urls and its own PID to STATE/pid, prints them, and stays up
 * until killed. It is driven, without any network port of its own, through files in
 * STATE/control: a file named `stop-N` stops node N (0-based) and `start-N` starts it again
 * on the same port; the launcher deletes the request and answers with STATE/node-N.stopped or
 * STATE/node-N.started. Imports Solr's test framework and the JDK only.
 *
 * Usage: java -cp ... newsdex.cluster.Cluster CONFIGSET_DIR STATE_DIR [COLLECTION]
 */
package newsdex.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public final class Cluster {
  private static final int NODES = 2;
  private static final int SHARDS = 2;
  private static final int REPLICAS = 2;
  private static final String CONFIG_NAME = "newsdex";

  private Cluster() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      // the nodes' threads would keep a failed launcher alive: end it, so cluster.sh sees it
      e.printStackTrace();
      System.err.println("cluster: failed: " + e);
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Cluster CONFIGSET_DIR STATE_DIR [COLLECTION]");
      System.exit(2);
    }
    Path configset = Path.of(args[0]).toAbsolutePath();
    if (Files.isDirectory(configset.resolve("conf"))) {
      configset = configset.resolve("conf"); // Solr's layout: the files live in conf/
    }
    Path state = Path.of(args[1]).toAbsolutePath();
    String collection = args.length > 2 ? args[2] : "newsdex";
    Path control = state.resolve("control");
    Files.createDirectories(control);
    // Jetty binds where Solr's host setting says; keep every node on loopback
    System.setProperty("host", "127.0.0.1");
    System.setProperty("solr.jetty.host", "127.0.0.1");

    long started = System.nanoTime();
    JettyConfig jetty = JettyConfig.builder().setPort(0).stopAtShutdown(true).build();
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster(NODES, state.resolve("nodes"), jetty);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    cluster.shutdown();
                  } catch (Exception e) {
                    System.err.println("cluster: shutdown: " + e);
                  }
                }));
    cluster.uploadConfigSet(configset, CONFIG_NAME);
    CollectionAdminRequest.createCollection(collection, CONFIG_NAME, SHARDS, REPLICAS)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(collection, 120, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);

    // the cluster drops a stopped node from its own list: keep them all, numbered as started
    List<JettySolrRunner> nodes = new ArrayList<>(cluster.getJettySolrRunners());
    List<String> urls = new ArrayList<>();
    for (JettySolrRunner node : nodes) {
      urls.add(node.getBaseUrl().toString());
    }
    long pid = ProcessHandle.current().pid();
    Files.writeString(state.resolve("urls"), String.join("\n", urls) + "\n");
    Files.writeString(state.resolve("pid"), pid + "\n");
    Files.writeString(state.resolve("zk"), cluster.getZkServer().getZkAddress() + "\n");
    System.out.printf(
        "cluster: pid %d, collection %s (%d shards x %d replicas) up in %.1f s%n",
        pid, collection, SHARDS, REPLICAS, (System.nanoTime() - started) / 1e9);
    for (String url : urls) {
      System.out.println("cluster: node " + url);
    }
    // written last: cluster.sh waits for this file
    Files.writeString(state.resolve("ready"), String.join(",", urls) + "\n");
    System.out.flush();

    while (true) {
      try (var requests = Files.list(control)) {
        for (Path request : (Iterable<Path>) requests::iterator) {
          handle(cluster, nodes, collection, state, request);
        }
      }
      Thread.sleep(200);
    }
  }

  /** Carries out one control request file (`stop-N` or `start-N`) and removes it. */
  private static void handle(
      MiniSolrCloudCluster cluster,
      List<JettySolrRunner> nodes,
      String collection,
      Path state,
      Path request)
      throws Exception {
    String name = request.getFileName().toString();
    Files.deleteIfExists(request);
    String[] parts = name.split("-", 2);
    int node;
    try {
      node = Integer.parseInt(parts.length == 2 ? parts[1] : "");
    } catch (NumberFormatException e) {
      System.err.println("cluster: ignoring control file " + name);
      return;
    }
    if (node < 0 || node >= nodes.size()) {
      System.err.println("cluster: no node " + node);
      return;
    }
    JettySolrRunner jetty = nodes.get(node);
    switch (parts[0]) {
      case "stop" -> {
        cluster.stopJettySolrRunner(jetty);
        cluster.waitForJettyToStop(jetty);
        System.out.println("cluster: stopped node " + node + " " + jetty.getBaseUrl());
        Files.deleteIfExists(state.resolve("node-" + node + ".started"));
        Files.writeString(state.resolve("node-" + node + ".stopped"), "");
      }
      case "start" -> {
        cluster.startJettySolrRunner(jetty, true);
        cluster.waitForNode(jetty, 60);
        cluster.waitForActiveCollection(collection, 120, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);
        System.out.println("cluster: started node " + node + " " + jetty.getBaseUrl());
        Files.deleteIfExists(state.resolve("node-" + node + ".stopped"));
        Files.writeString(state.resolve("node-" + node + ".started"), "");
      }
      default -> System.err.println("cluster: ignoring control file " + name);
    }
    System.out.flush();
  }
}
