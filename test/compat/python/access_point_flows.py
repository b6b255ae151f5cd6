"""The partner guide's access point flows with boto3: alias (path and virtual-host style), access point
ARN as Bucket, ARN as CopySource, S3 Control. Prints one JSON object of results; the test asserts on it."""
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ['ENDPOINT']
alias = os.environ['ALIAS']
ap_arn = os.environ['AP_ARN']
prefix = os.environ['PREFIX']
source = os.environ['SOURCE_BUCKET']
results = {}


def error_code(call):
    try:
        call()
        return 'allow'
    except ClientError as error:
        return error.response['Error']['Code']


role = dict(aws_access_key_id=os.environ['ROLE_KEY'], aws_secret_access_key=os.environ['ROLE_SECRET'], aws_session_token=os.environ['ROLE_TOKEN'])
path = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', **role)
virtual = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', config=Config(s3={'addressing_style': 'virtual'}), **role)

out = path.copy_object(CopySource={'Bucket': source, 'Key': 'test.txt'}, Bucket=alias, Key=f'{prefix}/boto3-path.txt')
results['path_copy'] = {'version': out.get('VersionId'), 'sse': out.get('ServerSideEncryption'), 'etag': out['CopyObjectResult']['ETag']}
out = virtual.copy_object(CopySource={'Bucket': source, 'Key': 'test.txt'}, Bucket=alias, Key=f'{prefix}/boto3-virtual.txt')
results['virtual_copy'] = {'version': out.get('VersionId')}
results['arn_get'] = path.get_object(Bucket=ap_arn, Key=f'{prefix}/boto3-path.txt')['Body'].read().decode()
out = path.copy_object(CopySource={'Bucket': ap_arn, 'Key': f'{prefix}/boto3-path.txt'}, Bucket=ap_arn, Key=f'{prefix}/boto3-from-arn.txt')
results['arn_copy_source'] = {'copy_source_version': out.get('CopySourceVersionId')}
results['list'] = sorted(o['Key'] for o in path.list_objects_v2(Bucket=alias, Prefix=f'{prefix}/').get('Contents', []))
results['outside_prefix'] = error_code(lambda: path.put_object(Bucket=alias, Key='elsewhere/x.txt', Body=b'x'))

platform = dict(aws_access_key_id=os.environ['PLATFORM_KEY'], aws_secret_access_key=os.environ['PLATFORM_SECRET'])
control = boto3.client('s3control', endpoint_url=endpoint, region_name='us-east-1', **platform)
points = control.list_access_points(AccountId=os.environ['PLATFORM_ACCOUNT'])['AccessPointList']
results['control_aliases'] = [p['Alias'] for p in points]
json.dump(results, sys.stdout)
