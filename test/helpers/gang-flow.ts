/**
 * A small flow with a `@parallel(nodes: 3)` step whose body checks the gang's environment and does a real
 * rendezvous: node 0 listens on MASTER_ADDR:MASTER_PORT and collects every other node's rank (plus the input
 * `base`), the others connect and send theirs. Node 0's `peers` is then `[base + 1, base + 2]` only if every node
 * ran with the right variables and reached node 0. Shared by the local, Batch and Argo tests.
 */
export const GANG_FLOW = `flow Gang {
  image "python:3.12-slim"

  step start {
    out base: int
    python "base = 10"
    next train
  }

  @parallel(nodes: 3)
  step train {
    in base
    out peers: [int]
    out rank: int
    python """
      import os, socket, time
      rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
      addr, port = os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"])
      assert world == 3, world
      deadline = time.time() + 60
      if rank == 0:
          srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
          srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
          srv.bind(("0.0.0.0", port))
          srv.listen(8)
          srv.settimeout(60)
          peers = []
          while len(peers) < world - 1:
              conn, _ = srv.accept()
              peers.append(int(conn.recv(16).decode()) + base)
              conn.close()
          peers.sort()
      else:
          while True:
              try:
                  conn = socket.create_connection((addr, port), timeout=5)
                  break
              except OSError:
                  if time.time() > deadline:
                      raise
                  time.sleep(0.05)
          conn.sendall(str(rank).encode())
          conn.close()
          peers = []
      print("node %d of %d met at %s:%d" % (rank, world, addr, port))
    """
    next end
  }

  step end {
    in peers: [int]
    in rank: int
    python "assert peers == [11, 12] and rank == 0, (peers, rank)"
  }
}
`;
