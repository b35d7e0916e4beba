import { DEFAULT_DOCKER_HOST } from "@netdive/model";

/**
 * The engine the integration tests run against: DOCKER_HOST, else the local socket. The engine
 * matrix (docker/engine-matrix.sh) runs the same tests against newer engines by setting it, with
 * the test process inside that engine's network namespace, as netdive would run on its host.
 */
export const ENGINE_URL = process.env.DOCKER_HOST || DEFAULT_DOCKER_HOST;
