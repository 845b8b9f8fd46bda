// CLI commands.
