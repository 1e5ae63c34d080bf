"""Docker images of the sandbox: the agent image (Dockerfile) and a registry-free local "host-bind" image."""
