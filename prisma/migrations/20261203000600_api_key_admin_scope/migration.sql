-- API keys of scope "admin": config as code with an admin's reach in the key's environment.
ALTER TYPE "ApiKeyScope" ADD VALUE 'admin';
