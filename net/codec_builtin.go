package net

import (
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

func isBuiltinName(name string) bool {
	switch name {
	case TypeString, TypeBytes, TypeInt, TypeUint, TypeFloat, TypeBool, TypeNil, TypeAny:
		return true
	}
	return false
}

// builtinName returns the built-in name of msg's type, or "".
func builtinName(msg any) string {
	switch msg.(type) {
	case nil:
		return TypeNil
	case string:
		return TypeString
	case []byte:
		return TypeBytes
	case int, int8, int16, int32, int64:
		return TypeInt
	case uint, uint8, uint16, uint32, uint64:
		return TypeUint
	case float32, float64:
		return TypeFloat
	case bool:
		return TypeBool
	case map[string]any, []any:
		return TypeAny
	}
	return ""
}

func decodeBuiltin(d *msgpack.Decoder, name string) (v any, err error) {
	switch name {
	case TypeString:
		v, err = d.DecodeString()
	case TypeBytes:
		v, err = d.DecodeBytes()
	case TypeInt:
		v, err = d.DecodeInt64()
	case TypeUint:
		v, err = d.DecodeUint64()
	case TypeFloat:
		v, err = d.DecodeFloat64()
	case TypeBool:
		v, err = d.DecodeBool()
	case TypeNil:
		err = d.DecodeNil()
	default:
		v, err = d.DecodeInterface()
		v = normalize(v)
	}
	if err != nil {
		return nil, fmt.Errorf("net: decode %s: %w", name, err)
	}
	return v, nil
}
