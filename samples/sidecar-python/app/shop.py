"""The shop: charges N orders at http://payments/ through its sidecar (WEFT_OUTBOUND_PROXY, set by the sidecar's
run mode) and prints which payments version answered. Exits 0 when every call was answered. No mesh code here:
any HTTP client that can use a proxy will do. Usage: shop.py [N]."""
import collections
import json
import os
import sys
import time
import urllib.error
import urllib.request

proxy = os.environ["WEFT_OUTBOUND_PROXY"]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))


def charge(amount):
    request = urllib.request.Request("http://payments/charge", data=json.dumps({"amount": amount}).encode(),
                                     headers={"Content-Type": "application/json"})
    with opener.open(request, timeout=10) as response:
        return json.loads(response.read())["by"]


def wait_for_payments(deadline):
    """The instances register with the control plane as they start; the first call may come before them."""
    while True:
        try:
            return charge(0)
        except urllib.error.HTTPError as e:
            if e.code != 503 or time.time() > deadline:
                raise
            time.sleep(0.2)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
print("shop: calling http://payments/ through the sidecar at %s" % proxy)
wait_for_payments(time.time() + 15)
seen = collections.Counter(charge(i) for i in range(1, n + 1))
for who, count in sorted(seen.items()):
    print("shop: %3d of %d charges answered by %s" % (count, n, who))
sys.exit(0 if sum(seen.values()) == n else 1)
