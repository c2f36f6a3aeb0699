/**
 * The hard-manual classes the operator owns by the product boundary, not by policy taste, with the
 * actions each must keep (those of the shipped policy). A policy may add classes and actions; it
 * may not drop these, or a class named `service_restart` could hold `service.noop` and a restart
 * could be allowed for a dry run.
 */
export const REQUIRED_HARD_MANUAL_ACTIONS = {
  service_restart: ["service.restart", "service.start", "service.stop", "service.reload", "systemd.daemon_reload", "gateway.restart"],
  deploy_apply_sync: ["deploy.apply", "deploy.sync", "deploy.rollback", "files.write", "files.copy", "config.apply"],
  auth_network_change: ["auth.change", "auth.rotate_token", "network.change", "firewall.change", "dns.change", "tls.replace"],
  destructive: ["files.delete", "data.purge", "cache.purge", "backup.delete", "db.drop", "process.kill"],
  runtime_upgrade: ["runtime.upgrade", "runtime.downgrade", "package.install", "package.upgrade"],
} as const satisfies Record<string, readonly string[]>;

