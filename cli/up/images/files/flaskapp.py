"""The tutorial's flaskapp: answers with its hostname and a visit counter kept in redis.

Redis is reached by Service name (REDIS_HOST, default "redis") on port 6379, as in the tutorial.
REDIS_PORT is not read: the kubelet sets it to Docker's link form (tcp://<ip>:6379) when the
namespace has a Service named redis, as upstream's does.
"""
import os
import socket
import time

import redis
from flask import Flask

app = Flask(__name__)
cache = redis.Redis(host=os.environ.get("REDIS_HOST", "redis"), port=6379, socket_connect_timeout=2)


def hit_count():
    retries = 5
    while True:
        try:
            return cache.incr("hits")
        except redis.exceptions.ConnectionError:
            if retries == 0:
                raise
            retries -= 1
            time.sleep(0.5)


@app.route("/")
def hello():
    count = hit_count()
    return "Hello from {}! I have been seen {} times.\n".format(socket.gethostname(), count)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")), threaded=True)
