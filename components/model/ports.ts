// Container ports of the data services, as their images listen.

export const PORTS = {
    postgres: 5432,
    mongo: 27017,
    redis: 6379,
    minioApi: 9000,
    minioConsole: 9001,
    natsClient: 4222,
    natsCluster: 6222,
    natsMonitor: 8222,
} as const;
