"""Presigned URLs from botocore for test/compat/presigned.test.ts.

Usage: python3 presign_urls.py '<json list of {"method", "params", "expires", "signature"}>'; prints a JSON
list of URLs. "signature" is "s3v4" or "default" (botocore's own choice: SigV2 for S3 in us-east-1).
Endpoint and credentials come from the environment (awsEnv()).
"""
import json
import sys

import boto3
from botocore.config import Config

clients = {'default': boto3.client('s3'), 's3v4': boto3.client('s3', config=Config(signature_version='s3v4'))}
specs = json.loads(sys.argv[1])
print(json.dumps([clients[s.get('signature', 's3v4')].generate_presigned_url(s['method'], Params=s['params'], ExpiresIn=s['expires'])
                  for s in specs]))
