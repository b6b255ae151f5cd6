"""boto3 scenarios for test/compat/boto3.test.ts: each prints one JSON object of facts the test asserts.

Usage: python3 boto3_checks.py <scenario> <bucket> [workdir]. Endpoint and credentials come from the
environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...), as awsEnv() sets them.
"""
import base64
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

import boto3
import botocore
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

MIB = 1024 * 1024
TRICKY_KEYS = ['plain', 'a b', 'a+b=c&d', 'ünï cødé', '日本語/ファイル', "tilde~(paren)!*'", 'semi;colon,comma', 'dir/with space/y%20z']


def client(**config):
    return boto3.client('s3', config=Config(**config)) if config else boto3.client('s3')


def error_code(call):
    try:
        call()
    except ClientError as e:
        return {'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'],
                'message': e.response['Error'].get('Message')}
    return None


def http(url, method='GET', data=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return {'status': response.status, 'body': response.read().decode('utf-8', 'replace'), 'headers': {k.lower(): v for k, v in response.headers.items()}}
    except urllib.error.HTTPError as e:
        return {'status': e.code, 'body': e.read().decode('utf-8', 'replace'), 'headers': {k.lower(): v for k, v in e.headers.items()}}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(MIB), b''):
            h.update(block)
    return h.hexdigest()


def scenario_client(bucket, _workdir):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    for i, key in enumerate(TRICKY_KEYS):
        s3.put_object(Bucket=bucket, Key='k/' + key, Body=('body %d' % i).encode(), Metadata={'index': str(i)}, ContentType='text/plain')
    bodies = {key: s3.get_object(Bucket=bucket, Key='k/' + key)['Body'].read().decode() for key in TRICKY_KEYS}
    head = s3.head_object(Bucket=bucket, Key='k/a+b=c&d')
    pages = []
    for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix='k/', PaginationConfig={'PageSize': 3}):
        pages.append([o['Key'] for o in page.get('Contents', [])])
    v1_pages = []
    for page in s3.get_paginator('list_objects').paginate(Bucket=bucket, Prefix='k/', PaginationConfig={'PageSize': 3}):
        v1_pages.append([o['Key'] for o in page.get('Contents', [])])
    delimited = s3.list_objects_v2(Bucket=bucket, Prefix='k/', Delimiter='/')
    deleted = s3.delete_objects(Bucket=bucket, Delete={'Objects': [{'Key': 'k/' + k} for k in TRICKY_KEYS]})
    remaining = s3.list_objects_v2(Bucket=bucket).get('KeyCount')
    missing = error_code(lambda: s3.get_object(Bucket=bucket, Key='k/plain'))
    s3.delete_bucket(Bucket=bucket)
    return {
        'bodies': bodies, 'metadata': head['Metadata'], 'contentType': head['ContentType'],
        'pages': pages, 'v1Pages': v1_pages,
        'prefixes': [p['Prefix'] for p in delimited.get('CommonPrefixes', [])],
        'deleted': sorted(d['Key'] for d in deleted.get('Deleted', [])), 'errors': deleted.get('Errors', []),
        'remaining': remaining, 'missing': missing,
        'bucketGone': error_code(lambda: s3.head_bucket(Bucket=bucket)),
    }


def scenario_resource(bucket, _workdir):
    s3 = boto3.resource('s3')
    b = s3.Bucket(bucket)
    b.create()
    b.put_object(Key='r/one.txt', Body=b'one')
    obj = s3.Object(bucket, 'r/two.txt')
    obj.put(Body=b'two', Metadata={'kind': 'resource'})
    obj.reload()
    copy = s3.Object(bucket, 'r/three.txt')
    copy.copy_from(CopySource={'Bucket': bucket, 'Key': 'r/two.txt'})
    listed = sorted(o.key for o in b.objects.filter(Prefix='r/'))
    sizes = {o.key: o.size for o in b.objects.all()}
    body = copy.get()['Body'].read().decode()
    summary_etag = s3.ObjectSummary(bucket, 'r/one.txt').e_tag
    copy_metadata, metadata = copy.metadata, obj.metadata
    b.objects.all().delete()
    after = list(b.objects.all())
    b.delete()
    return {'listed': listed, 'sizes': sizes, 'copyBody': body, 'copyMetadata': copy_metadata, 'metadata': metadata,
            'etag': summary_etag, 'after': len(after), 'buckets': [x.name for x in s3.buckets.all()]}


def scenario_transfer(bucket, workdir):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=3)
    source = os.path.join(workdir, 'upload.bin')
    with open(source, 'wb') as f:
        for i in range(12):
            f.write(hashlib.sha256(b'%d' % i).digest() * (MIB // 32))
    s3.upload_file(source, bucket, 'big/upload.bin', Config=config, ExtraArgs={'Metadata': {'via': 'upload_file'}})
    head = s3.head_object(Bucket=bucket, Key='big/upload.bin', ChecksumMode='ENABLED')
    target = os.path.join(workdir, 'download.bin')
    s3.download_file(bucket, 'big/upload.bin', target, Config=config)
    s3.copy({'Bucket': bucket, 'Key': 'big/upload.bin'}, bucket, 'big/copy.bin', Config=config)
    copy_head = s3.head_object(Bucket=bucket, Key='big/copy.bin')
    copied = os.path.join(workdir, 'copied.bin')
    s3.download_file(bucket, 'big/copy.bin', copied)
    small = os.path.join(workdir, 'small.txt')
    with open(small, 'wb') as f:
        f.write(b'small upload_file')
    s3.upload_file(small, bucket, 'small.txt', Config=config)
    uploads = s3.list_multipart_uploads(Bucket=bucket).get('Uploads', [])
    return {
        'source': sha256_file(source), 'download': sha256_file(target), 'copied': sha256_file(copied),
        'etag': head['ETag'], 'checksum': head.get('ChecksumCRC32'), 'checksumType': head.get('ChecksumType'),
        'metadata': head['Metadata'], 'copyEtag': copy_head['ETag'], 'copyLength': copy_head['ContentLength'],
        'small': s3.get_object(Bucket=bucket, Key='small.txt')['Body'].read().decode(), 'openUploads': len(uploads),
    }


def scenario_checksums(bucket, _workdir):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    body = b'123456789'
    out = {}
    for algorithm in ['CRC32', 'SHA1', 'SHA256']:
        put = s3.put_object(Bucket=bucket, Key=algorithm, Body=body, ChecksumAlgorithm=algorithm)
        got = s3.get_object(Bucket=bucket, Key=algorithm, ChecksumMode='ENABLED')
        got['Body'].read()  # botocore validates the returned checksum while reading
        out[algorithm] = {'put': put.get('Checksum' + algorithm), 'get': got.get('Checksum' + algorithm)}
    # CRC32C and CRC64NVME need awscrt to compute; given precomputed, botocore just sends the header.
    for algorithm, value in [('CRC32C', '4waSgw=='), ('CRC64NVME', 'rosUhgp5mIg=')]:
        put = s3.put_object(Bucket=bucket, Key=algorithm, Body=body, **{'Checksum' + algorithm: value})
        head = s3.head_object(Bucket=bucket, Key=algorithm, ChecksumMode='ENABLED')
        out[algorithm] = {'put': put.get('Checksum' + algorithm), 'get': head.get('Checksum' + algorithm)}
    wrong = boto3.client('s3', config=Config(retries={'max_attempts': 1}))
    out['wrongCrc32c'] = error_code(lambda: wrong.put_object(Bucket=bucket, Key='wrong', Body=body, ChecksumCRC32C='AAAAAA=='))
    out['wrongStored'] = error_code(lambda: s3.head_object(Bucket=bucket, Key='wrong'))
    return out


def scenario_presign(bucket, _workdir):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key='pre/a+b ü.txt', Body=b'presigned body')
    v2 = s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': 'pre/a+b ü.txt'}, ExpiresIn=300)
    v4c = client(signature_version='s3v4')
    v4 = v4c.generate_presigned_url('get_object', Params={
        'Bucket': bucket, 'Key': 'pre/a+b ü.txt',
        'ResponseContentDisposition': 'attachment; filename="a b.txt"', 'ResponseContentType': 'text/x-presigned'}, ExpiresIn=300)
    put_url = v4c.generate_presigned_url('put_object', Params={'Bucket': bucket, 'Key': 'pre/put.txt', 'ContentType': 'text/x-put'}, ExpiresIn=300)
    put = http(put_url, 'PUT', b'put through a presigned URL', {'Content-Type': 'text/x-put'})
    put_head = s3.head_object(Bucket=bucket, Key='pre/put.txt')
    put_wrong_type = http(put_url, 'PUT', b'other', {'Content-Type': 'text/other'})
    # SigV2 signs Content-Type; botocore also moves it into the query.
    v2_put_url = s3.generate_presigned_url('put_object', Params={'Bucket': bucket, 'Key': 'pre/v2put.txt', 'ContentType': 'text/x-v2'}, ExpiresIn=300)
    v2_put = http(v2_put_url, 'PUT', b'v2 put', {'Content-Type': 'text/x-v2'})
    v2_put_wrong_type = http(v2_put_url, 'PUT', b'other', {'Content-Type': 'text/other'})
    expiring = v4c.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': 'pre/a+b ü.txt'}, ExpiresIn=1)
    expiring_v2 = s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': 'pre/a+b ü.txt'}, ExpiresIn=1)
    time.sleep(2.1)
    post = s3.generate_presigned_post(bucket, 'pre/post.txt')
    boundary = uuid.uuid4().hex
    form = b''.join(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k, v)).encode() for k, v in post['fields'].items())
    form += ('--%s\r\nContent-Disposition: form-data; name="file"; filename="post.txt"\r\n\r\nposted\r\n--%s--\r\n' % (boundary, boundary)).encode()
    posted = http(post['url'], 'POST', form, {'Content-Type': 'multipart/form-data; boundary=' + boundary})
    return {
        'v2Url': v2, 'v2': http(v2), 'v4Url': v4, 'v4': http(v4),
        'put': put['status'], 'putBody': s3.get_object(Bucket=bucket, Key='pre/put.txt')['Body'].read().decode(),
        'putType': put_head['ContentType'], 'putWrongType': put_wrong_type,
        'v2Put': v2_put['status'], 'v2PutWrongType': v2_put_wrong_type['status'], 'v2PutBody': s3.get_object(Bucket=bucket, Key='pre/v2put.txt')['Body'].read().decode(),
        'expired': http(expiring), 'expiredV2': http(expiring_v2), 'post': posted,
    }


def scenario_virtual(bucket, _workdir):
    s3 = client(s3={'addressing_style': 'virtual'})
    urls = []
    s3.meta.events.register('before-send.s3', lambda request, **kwargs: urls.append(request.url))
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key='v/a+b ü.txt', Body=b'virtual')
    body = s3.get_object(Bucket=bucket, Key='v/a+b ü.txt')['Body'].read().decode()
    keys = [o['Key'] for o in s3.list_objects_v2(Bucket=bucket).get('Contents', [])]
    presigned = s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': 'v/a+b ü.txt'})
    presigned_v4 = client(s3={'addressing_style': 'virtual'}, signature_version='s3v4').generate_presigned_url(
        'get_object', Params={'Bucket': bucket, 'Key': 'v/a+b ü.txt'})
    return {'urls': urls, 'body': body, 'keys': keys, 'presigned': presigned, 'presignedGet': http(presigned),
            'presignedV4': presigned_v4, 'presignedV4Get': http(presigned_v4)}


def scenario_session(bucket, _workdir):
    s3 = client()
    names = [b['Name'] for b in s3.list_buckets()['Buckets']]
    s3.put_object(Bucket=bucket, Key='session.txt', Body=b'with a session token')
    url = client(signature_version='s3v4').generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': 'session.txt'})
    keys = {'aws_access_key_id': os.environ['AWS_ACCESS_KEY_ID'], 'aws_secret_access_key': os.environ['AWS_SECRET_ACCESS_KEY']}
    bad = boto3.client('s3', aws_session_token='not-the-token', config=Config(retries={'max_attempts': 1}), **keys)
    missing = boto3.client('s3', config=Config(retries={'max_attempts': 1}), **keys)
    return {'buckets': names, 'presigned': http(url), 'presignedHasToken': 'X-Amz-Security-Token=' in url,
            'wrongToken': error_code(bad.list_buckets), 'noToken': error_code(missing.list_buckets)}


def scenario_acl_cors(bucket, _workdir):
    """SigV2 (signature_version='s3') bucket creation with a canned ACL, UTF-8 metadata signed by botocore,
    ACLs and a CORS preflight as s3-tests drive them."""
    v2 = client(signature_version='s3')
    v2.create_bucket(Bucket=bucket, ACL='public-read', ObjectOwnership='ObjectWriter')
    s3 = client()

    def utf8_metadata(params, **_kwargs):
        params['headers']['x-amz-meta-greeting'] = 'Hello World\xe9'
    s3.meta.events.register('before-call.s3.PutObject', utf8_metadata)
    s3.put_object(Bucket=bucket, Key='meta', Body=b'm')
    s3.meta.events.unregister('before-call.s3.PutObject', utf8_metadata)
    metadata = s3.head_object(Bucket=bucket, Key='meta')['Metadata']
    acl = s3.get_bucket_acl(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key='public', Body=b'p', ACL='public-read')
    endpoint = os.environ['AWS_ENDPOINT_URL']
    anonymous = http('%s/%s/public' % (endpoint, bucket))
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={'CORSRules': [{'AllowedMethods': ['GET'], 'AllowedOrigins': ['*.example']}]})
    preflight = http('%s/%s/public' % (endpoint, bucket), method='OPTIONS', headers={'Origin': 'a.example', 'Access-Control-Request-Method': 'GET'})
    return {'metadata': metadata, 'grants': sorted(g['Permission'] + ':' + g['Grantee'].get('URI', 'owner') for g in acl['Grants']),
            'anonymous': anonymous['body'], 'preflight': {'status': preflight['status'], 'origin': preflight['headers'].get('access-control-allow-origin')}}


SCENARIOS = {name[len('scenario_'):]: fn for name, fn in globals().items() if name.startswith('scenario_')}

if __name__ == '__main__':
    result = SCENARIOS[sys.argv[1]](sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else '.')
    result['versions'] = {'boto3': boto3.__version__, 'botocore': botocore.__version__}
    print(json.dumps(result, default=str))
